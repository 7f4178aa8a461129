package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every kind of annotation element value, and annotation defaults, read from class files. */
class ClassAnnotationsTest {
    @Retention(RetentionPolicy.RUNTIME)
    @interface Everything {
        String text() default "default text";

        int number() default 7;

        long big() default 1L << 40;

        double real() default 0.5;

        boolean flag() default true;

        char letter() default 'x';

        Class<?> type() default Object.class;

        ElementType kind() default ElementType.FIELD;

        String[] texts() default {};

        Retention nested() default @Retention(RetentionPolicy.CLASS);
    }

    @Everything(text = "é \u0000 😀", number = -3, big = Long.MIN_VALUE, real = -1.25, flag = false, letter = '\'',
            type = int[].class, kind = ElementType.METHOD, texts = {"a", "b"},
            nested = @Retention(RetentionPolicy.SOURCE))
    static final class Annotated {
        @Everything
        String first;

        @Deprecated
        int second;

        @Everything(texts = "only")
        void method() {
        }
    }

    @Test
    void classFieldAndMethodAnnotations_areReadWithTheirValues() throws Exception {
        ClassAnnotations a = ClassAnnotations.of(Annotated.class);
        String everything = "L" + Everything.class.getName().replace('.', '/') + ";";

        ClassAnnotations.Value onClass = a.onClass().getFirst();
        assertThat(onClass.descriptor()).isEqualTo(everything);
        assertThat(onClass.elements()).containsExactly(Map.entry("text", "é \u0000 😀"), Map.entry("number", -3),
                Map.entry("big", Long.MIN_VALUE), Map.entry("real", -1.25), Map.entry("flag", false),
                Map.entry("letter", '\''), Map.entry("type", new ClassAnnotations.ClassValue("[I")),
                Map.entry("kind", new ClassAnnotations.EnumValue("Ljava/lang/annotation/ElementType;", "METHOD")),
                Map.entry("texts", List.of("a", "b")),
                Map.entry("nested", new ClassAnnotations.Value("Ljava/lang/annotation/Retention;", Map.of("value",
                        new ClassAnnotations.EnumValue("Ljava/lang/annotation/RetentionPolicy;", "SOURCE")))));

        assertThat(a.onFields().keySet()).containsExactly("first", "second");
        assertThat(a.onFields().get("first")).containsExactly(new ClassAnnotations.Value(everything, Map.of()));
        assertThat(a.onFields().get("second")).extracting(ClassAnnotations.Value::descriptor)
                .containsExactly("Ljava/lang/Deprecated;");
        assertThat(a.onMethods().get("method")).containsExactly(
                new ClassAnnotations.Value(everything, Map.of("texts", List.of("only"))));
    }

    @Test
    void annotationInterface_givesItsDefaults() throws Exception {
        assertThat(ClassAnnotations.of(Everything.class).defaults()).containsEntry("text", "default text")
                .containsEntry("number", 7).containsEntry("big", 1L << 40).containsEntry("real", 0.5)
                .containsEntry("flag", true).containsEntry("letter", 'x')
                .containsEntry("type", new ClassAnnotations.ClassValue("Ljava/lang/Object;"))
                .containsEntry("texts", List.of()).hasSize(10);
    }
}
