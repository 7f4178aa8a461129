package dev.berth.cli;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runtime-visible annotations of one class file, read from its bytes: on the class, on each field (in declaration
 * order), on each method, and the annotation defaults of an annotation interface. Reading them through
 * {@code java.lang.reflect} makes the JDK generate a proxy class per annotation type, which costs a freshly started JVM
 * several milliseconds each and which the AOT cache cannot hold; this reader costs a fraction of that.
 *
 * <p>Element values are String, Integer, Long, Float, Double, Boolean, Character, Short, Byte, {@link ClassValue},
 * {@link EnumValue}, {@link Value} for a nested annotation, or a List of those for an array.
 */
public record ClassAnnotations(List<Value> onClass, Map<String, List<Value>> onFields,
        Map<String, List<Value>> onMethods, Map<String, Object> defaults) {

    /** One annotation: its type's descriptor ({@code Lpicocli/CommandLine$Option;}) and its explicit elements. */
    public record Value(String descriptor, Map<String, Object> elements) {}

    /** A class literal, as its descriptor ({@code Ljava/lang/String;}, {@code I}, {@code [J}). */
    public record ClassValue(String descriptor) {}

    /** An enum constant: its type's descriptor and its name. */
    public record EnumValue(String descriptor, String name) {}

    /** Reads the class file of {@code type} from its class loader; null when it cannot be found. */
    public static ClassAnnotations of(Class<?> type) throws IOException {
        ClassLoader loader = type.getClassLoader() == null ? ClassLoader.getSystemClassLoader() : type.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(type.getName().replace('.', '/') + ".class")) {
            return in == null ? null : parse(in.readAllBytes());
        }
    }

    static ClassAnnotations parse(byte[] bytes) throws IOException {
        return new Reader(new DataInputStream(new ByteArrayInputStream(bytes))).read();
    }

    /** The class file layout of JVMS §4, skipping everything but names and annotation attributes. */
    private static final class Reader {
        private final DataInputStream in;
        private Object[] pool;

        Reader(DataInputStream in) {
            this.in = in;
        }

        ClassAnnotations read() throws IOException {
            if (in.readInt() != 0xCAFEBABE) {
                throw new IOException("not a class file");
            }
            in.skipNBytes(4); // minor and major version
            readPool();
            in.skipNBytes(6); // access flags, this class, super class
            in.skipNBytes(2L * in.readUnsignedShort()); // interfaces
            Map<String, Object> defaults = new LinkedHashMap<>();
            Map<String, List<Value>> fields = members(null);
            Map<String, List<Value>> methods = members(defaults);
            List<Value> onClass = attributes(null);
            return new ClassAnnotations(onClass, fields, methods, defaults);
        }

        private void readPool() throws IOException {
            int count = in.readUnsignedShort();
            pool = new Object[count];
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> pool[i] = in.readUTF(); // the class file's modified UTF-8 is DataInput's format
                    case 3 -> pool[i] = in.readInt();
                    case 4 -> pool[i] = in.readFloat();
                    case 5 -> pool[i++] = in.readLong(); // longs and doubles take two slots
                    case 6 -> pool[i++] = in.readDouble();
                    case 7, 8, 16, 19, 20 -> in.skipNBytes(2);
                    case 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4);
                    case 15 -> in.skipNBytes(3);
                    default -> throw new IOException("unknown constant pool tag " + tag);
                }
            }
        }

        /** Fields or methods by name with their annotations; for methods, also collects annotation defaults. */
        private Map<String, List<Value>> members(Map<String, Object> defaults) throws IOException {
            Map<String, List<Value>> members = new LinkedHashMap<>();
            int count = in.readUnsignedShort();
            for (int i = 0; i < count; i++) {
                in.skipNBytes(2); // access flags
                String name = utf8();
                in.skipNBytes(2); // descriptor
                List<Value> annotations = attributes(defaults == null ? null : new Default(name, defaults));
                members.merge(name, annotations, (a, b) -> {
                    List<Value> all = new ArrayList<>(a);
                    all.addAll(b);
                    return all;
                });
            }
            return members;
        }

        private record Default(String method, Map<String, Object> into) {}

        private List<Value> attributes(Default annotationDefault) throws IOException {
            List<Value> annotations = new ArrayList<>();
            int count = in.readUnsignedShort();
            for (int i = 0; i < count; i++) {
                String name = utf8();
                int length = in.readInt();
                if (name.equals("RuntimeVisibleAnnotations")) {
                    int n = in.readUnsignedShort();
                    for (int j = 0; j < n; j++) {
                        annotations.add(annotation());
                    }
                } else if (name.equals("AnnotationDefault") && annotationDefault != null) {
                    annotationDefault.into().put(annotationDefault.method(), elementValue());
                } else {
                    in.skipNBytes(length);
                }
            }
            return annotations;
        }

        private Value annotation() throws IOException {
            String type = utf8();
            Map<String, Object> elements = new LinkedHashMap<>();
            int pairs = in.readUnsignedShort();
            for (int i = 0; i < pairs; i++) {
                String name = utf8();
                elements.put(name, elementValue());
            }
            return new Value(type, elements);
        }

        private Object elementValue() throws IOException {
            int tag = in.readUnsignedByte();
            return switch (tag) {
                case 's' -> utf8();
                case 'I', 'J', 'F', 'D' -> constant();
                case 'Z' -> (Integer) constant() != 0;
                case 'C' -> (char) (int) (Integer) constant();
                case 'S' -> (short) (int) (Integer) constant();
                case 'B' -> (byte) (int) (Integer) constant();
                case 'c' -> new ClassValue(utf8());
                case 'e' -> new EnumValue(utf8(), utf8());
                case '@' -> annotation();
                case '[' -> {
                    int n = in.readUnsignedShort();
                    List<Object> values = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        values.add(elementValue());
                    }
                    yield values;
                }
                default -> throw new IOException("unknown element value tag " + (char) tag);
            };
        }

        private Object constant() throws IOException {
            return pool[in.readUnsignedShort()];
        }

        private String utf8() throws IOException {
            return (String) pool[in.readUnsignedShort()];
        }
    }
}
