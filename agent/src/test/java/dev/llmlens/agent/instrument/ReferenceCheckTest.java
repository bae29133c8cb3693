package dev.llmlens.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.modifier.Ownership;
import net.bytebuddy.description.modifier.Visibility;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.loading.ByteArrayClassLoader;
import net.bytebuddy.implementation.MethodCall;
import net.bytebuddy.implementation.StubMethod;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;
import org.junit.jupiter.api.Test;

/**
 * The muzzle-style check against generated "SDK versions": one library class with foo(), one
 * without, and a helper compiled against the first. Nothing is loaded; the check reads bytecode only.
 */
class ReferenceCheckTest {

    private static final String LIBRARY = "com.example.sdk.Library";

    private static DynamicType.Unloaded<?> library(boolean withFoo) {
        var builder = new ByteBuddy().subclass(Object.class).name(LIBRARY);
        if (withFoo) {
            builder = builder.defineMethod("foo", void.class, Visibility.PUBLIC, Ownership.STATIC).intercept(StubMethod.INSTANCE);
        }
        return builder.make();
    }

    /** A helper whose run() calls each given method, as a module's getter calls the SDK. */
    private static byte[] helper(String name, MethodDescription... calls) {
        var builder = new ByteBuddy().subclass(Object.class).name(name);
        for (int i = 0; i < calls.length; i++) {
            builder = builder.defineMethod("run" + i, void.class, Visibility.PUBLIC, Ownership.STATIC)
                    .intercept(MethodCall.invoke(calls[i]));
        }
        return builder.make().getBytes();
    }

    private static MethodDescription method(TypeDescription type, String name) {
        return type.getDeclaredMethods().filter(ElementMatchers.named(name)).getOnly();
    }

    /** An SDK class loader holding the given classes, with only the JDK above it. */
    private static ClassLoader sdk(DynamicType.Unloaded<?>... types) {
        Map<String, byte[]> classes = new HashMap<>();
        for (DynamicType.Unloaded<?> type : types) {
            classes.putAll(type.getAllTypes().entrySet().stream()
                    .collect(java.util.stream.Collectors.toMap(e -> e.getKey().getName(), Map.Entry::getValue)));
        }
        // MANIFEST keeps the bytes readable as resources, which is how the check's TypePool reads them
        return new ByteArrayClassLoader(null, classes, ByteArrayClassLoader.PersistenceHandler.MANIFEST);
    }

    private static List<String> missing(ReferenceCheck check, ClassLoader loader) {
        return check.missingIn(loader).stream().map(Object::toString).toList();
    }

    @Test
    void passesWhereTheMethodExistsAndNamesItWhereItDoesNot() {
        DynamicType.Unloaded<?> v1 = library(true);
        ReferenceCheck check = ReferenceCheck.ofHelpers(
                List.of(helper("com.example.helper.Getter", method(v1.getTypeDescription(), "foo"))));

        assertEquals(List.of(), missing(check, sdk(v1)));
        assertEquals(List.of("com.example.sdk.Library#foo()V"), missing(check, sdk(library(false))));
        // the SDK absent altogether: the same reference is reported, not an exception
        assertEquals(List.of("com.example.sdk.Library#foo()V"), missing(check, sdk()));
    }

    @Test
    void sameNameWithAnotherDescriptorIsMissing() {
        DynamicType.Unloaded<?> v1 = library(true);
        ReferenceCheck check = ReferenceCheck.ofHelpers(
                List.of(helper("com.example.helper.Getter", method(v1.getTypeDescription(), "foo"))));
        DynamicType.Unloaded<?> v2 = new ByteBuddy().subclass(Object.class).name(LIBRARY)
                .defineMethod("foo", void.class, Visibility.PUBLIC, Ownership.STATIC).withParameters(int.class)
                .intercept(StubMethod.INSTANCE).make();
        assertEquals(List.of("com.example.sdk.Library#foo()V"), missing(check, sdk(v2)));
    }

    @Test
    void methodsInheritedFromSuperclassesAndJdkInterfacesCount() {
        // v2 moved foo() into a base class and made the library AutoCloseable: calls still link
        DynamicType.Unloaded<?> base = new ByteBuddy().subclass(Object.class).name("com.example.sdk.Base")
                .defineMethod("foo", void.class, Visibility.PUBLIC).intercept(StubMethod.INSTANCE).make();
        DynamicType.Unloaded<?> library = new ByteBuddy().subclass(base.getTypeDescription()).name(LIBRARY)
                .implement(AutoCloseable.class)
                .defineMethod("close", void.class, Visibility.PUBLIC).intercept(StubMethod.INSTANCE).make();
        // foo() as javac would reference it: owner Library, though Base declares it
        TypeDescription libraryType = library.getTypeDescription();
        MethodDescription foo = new MethodDescription.Latent(libraryType, new MethodDescription.Token("foo", 1,
                TypeDescription.Generic.OfNonGenericType.ForLoadedType.of(void.class)));
        DynamicType.Unloaded<?> sdkInterface = new ByteBuddy().makeInterface(AutoCloseable.class)
                .name("com.example.sdk.Stream").make();
        MethodDescription close = new MethodDescription.Latent(sdkInterface.getTypeDescription(),
                new MethodDescription.Token("close", 1025,
                        TypeDescription.Generic.OfNonGenericType.ForLoadedType.of(void.class)));
        ReferenceCheck check = ReferenceCheck.ofHelpers(List.of(
                new ByteBuddy().subclass(Object.class).name("com.example.helper.Getter")
                        .defineMethod("useFoo", void.class, Visibility.PUBLIC, Ownership.STATIC)
                        .withParameters(libraryType).intercept(MethodCall.invoke(foo).onArgument(0))
                        .defineMethod("useClose", void.class, Visibility.PUBLIC, Ownership.STATIC)
                        .withParameters(sdkInterface.getTypeDescription()).intercept(MethodCall.invoke(close).onArgument(0))
                        .make().getBytes()));
        assertEquals(List.of(), missing(check, sdk(base, library, sdkInterface)));
        // both references were collected: without the SDK both are reported
        assertEquals(List.of("com.example.sdk.Library#foo()V", "com.example.sdk.Stream#close()V"),
                missing(check, sdk()).stream().sorted().toList());
        // a base class without foo() does not satisfy the call
        DynamicType.Unloaded<?> emptyBase = new ByteBuddy().subclass(Object.class).name("com.example.sdk.Base").make();
        assertEquals(List.of("com.example.sdk.Library#foo()V"), missing(check, sdk(emptyBase, library, sdkInterface)));
    }

    @Test
    void jdkAndAgentReferencesAreNeverChecked() throws Exception {
        MethodDescription nanoTime = new MethodDescription.ForLoadedMethod(System.class.getMethod("nanoTime"));
        TypeDescription agentType = new TypeDescription.Latent("dev.llmlens.bootstrap.Absent", 1,
                TypeDescription.Generic.OfNonGenericType.ForLoadedType.of(Object.class));
        MethodDescription agentCall = new MethodDescription.Latent(agentType, new MethodDescription.Token("start", 9,
                TypeDescription.Generic.OfNonGenericType.ForLoadedType.of(void.class)));
        DynamicType.Unloaded<?> v1 = library(true);
        ReferenceCheck check = ReferenceCheck.ofHelpers(List.of(
                helper("com.example.helper.Timing", nanoTime, agentCall),
                helper("com.example.helper.Getter", method(v1.getTypeDescription(), "foo"))));
        // dev.llmlens.bootstrap.Absent exists nowhere, yet only the SDK reference is reported
        assertEquals(List.of("com.example.sdk.Library#foo()V"), missing(check, sdk()));
        assertEquals(List.of(), missing(check, sdk(v1)));
    }

    /**
     * A method reference ({@code p::maxTokens}, {@code source::close}, both in the openai-java helpers)
     * compiles to invokedynamic with the SDK method as a bootstrap argument, not to a method call.
     * If the SDK drops that method, linking fails at call time inside the advice and the call's
     * telemetry vanishes silently: exactly what the check exists to prevent.
     */
    @Test
    void methodReferencesToTheSdkAreCheckedToo() {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        writer.visit(Opcodes.V1_8, Opcodes.ACC_PUBLIC, "com/example/helper/MethodRef", null, "java/lang/Object", null);
        MethodVisitor task = writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "task", "()Ljava/lang/Runnable;", null, null);
        task.visitCode();
        Handle metafactory = new Handle(Opcodes.H_INVOKESTATIC, "java/lang/invoke/LambdaMetafactory", "metafactory",
                "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;"
                        + "Ljava/lang/invoke/MethodType;Ljava/lang/invoke/MethodHandle;Ljava/lang/invoke/MethodType;)"
                        + "Ljava/lang/invoke/CallSite;", false);
        // Runnable task() { return Library::foo; }
        task.visitInvokeDynamicInsn("run", "()Ljava/lang/Runnable;", metafactory, Type.getType("()V"),
                new Handle(Opcodes.H_INVOKESTATIC, "com/example/sdk/Library", "foo", "()V", false), Type.getType("()V"));
        task.visitInsn(Opcodes.ARETURN);
        task.visitMaxs(0, 0);
        task.visitEnd();
        writer.visitEnd();
        ReferenceCheck check = ReferenceCheck.ofHelpers(List.of(writer.toByteArray()));
        assertEquals(List.of(), missing(check, sdk(library(true))));
        assertEquals(List.of("com.example.sdk.Library#foo()V"), missing(check, sdk(library(false))));
    }
}
