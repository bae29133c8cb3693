package dev.llmlens.instrumentation.api;

/**
 * Apply the advice class {@code adviceClassName} to every method annotated with
 * {@code annotationTypeName}, in any class of a class loader that can see that annotation. Only
 * classes whose bytecode names the annotation are parsed: the others cost a byte search.
 */
public record AnnotatedMethodsHook(String annotationTypeName, String adviceClassName) {}
