package dev.llmlens.instrumentation.api;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Apply the advice class {@code adviceClassName} to the methods matching {@code methods} of the
 * class named exactly {@code typeName}.
 */
public record Hook(String typeName, ElementMatcher<? super MethodDescription> methods, String adviceClassName) {}
