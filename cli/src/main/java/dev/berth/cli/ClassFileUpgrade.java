package dev.berth.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Rewrites the Java 5 class files of a jar (picocli ships them) as Java 8 class files with stack maps, in place, before
 * {@code berth --train-aot-cache} records the AOT cache: the JDK's AOT cache cannot hold classes older than Java 6, so
 * without this every {@code berth} would load, verify and interpret picocli from the jar at each start. The bytecode is
 * unchanged; only the version and the stack map frames that newer versions require are written. A jar without such
 * classes is left untouched.
 */
public final class ClassFileUpgrade {
    /** The oldest class file version the AOT cache links (Java 6); older ones are rewritten as {@link #TARGET}. */
    static final int OLDEST_LINKABLE = ClassFile.JAVA_6_VERSION;
    static final int TARGET = ClassFile.JAVA_8_VERSION;

    private ClassFileUpgrade() {
    }

    /** Usage: ClassFileUpgrade JAR... */
    public static void main(String[] args) throws IOException {
        for (String jar : args) {
            int n = upgrade(Path.of(jar));
            if (n > 0) {
                System.out.println("upgraded " + n + " class files in " + jar);
            }
        }
    }

    /** Upgrades {@code jar} in place; returns how many class files were rewritten. */
    static int upgrade(Path jar) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                entries.put(e.getName(), in.readAllBytes());
            }
        }
        // Stack maps name the common supertypes of merged values: resolve them from the JDK and from this jar.
        ClassHierarchyResolver resolver = ClassHierarchyResolver.defaultResolver().orElse(
                ClassHierarchyResolver.ofResourceParsing(desc -> {
                    String name = desc.descriptorString();
                    byte[] bytes = entries.get(name.substring(1, name.length() - 1) + ".class");
                    return bytes == null ? null : new ByteArrayInputStream(bytes);
                }));
        ClassFile classFile = ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(resolver),
                ClassFile.StackMapsOption.GENERATE_STACK_MAPS);
        ClassTransform version = (builder, element) -> {
            if (element instanceof ClassFileVersion) {
                builder.withVersion(TARGET, 0);
            } else {
                builder.with(element);
            }
        };
        // Passing every method body through a code transform makes the library regenerate it, stack maps included.
        ClassTransform upgrade = version.andThen(ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL));
        int upgraded = 0;
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            byte[] bytes = e.getValue();
            if (e.getKey().endsWith(".class") && majorVersion(bytes) < OLDEST_LINKABLE) {
                e.setValue(classFile.transformClass(classFile.parse(bytes), upgrade));
                upgraded++;
            }
        }
        if (upgraded == 0) {
            return 0;
        }
        Path tmp = jar.resolveSibling(jar.getFileName() + ".tmp");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(tmp))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return upgraded;
    }

    static int majorVersion(byte[] classFile) {
        return classFile.length < 8 ? Integer.MAX_VALUE : (classFile[6] & 0xff) << 8 | classFile[7] & 0xff;
    }
}
