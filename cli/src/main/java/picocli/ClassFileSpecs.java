package picocli;

import dev.berth.cli.ClassAnnotations;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.IFactory;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.CommandUserObject;
import picocli.CommandLine.Model.FieldBinding;
import picocli.CommandLine.Model.IAnnotatedElement;
import picocli.CommandLine.Model.IExtensible;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.IScope;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.ITypeInfo;
import picocli.CommandLine.Model.InitialValueState;
import picocli.CommandLine.Model.ObjectScope;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Model.RuntimeTypeInfo;
import picocli.CommandLine.Model.TypedMember;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Range;
import picocli.CommandLine.Spec;

/**
 * Builds a command's picocli model from its annotated class the way picocli's own {@code CommandReflection} does, step
 * for step, except that the {@code @Command}, {@code @Option}, {@code @Parameters}, {@code @Mixin} and {@code @Spec}
 * values come from the class file ({@link ClassAnnotations}) instead of {@code java.lang.reflect}: reflective
 * annotations are proxy classes the JDK generates at run time, the largest cost of a freshly started {@code berth}, and
 * the AOT cache cannot hold them. picocli itself still interprets every value (builders, type inference, bindings), so
 * the model is the one reflection gives; this class lives in picocli's package to reach the helpers that do that.
 *
 * <p>Classes using what this does not model (annotated methods, {@code @ArgGroup}, {@code @Unmatched},
 * {@code @ParentCommand}, {@code @Command} subcommands or version providers) get null: the caller lets picocli reflect.
 */
public final class ClassFileSpecs {
    private static final String PICOCLI = "Lpicocli/CommandLine$";
    private static final Map<String, Class<? extends Annotation>> SUPPORTED = Map.of(
            PICOCLI + "Command;", Command.class, PICOCLI + "Option;", Option.class,
            PICOCLI + "Parameters;", Parameters.class, PICOCLI + "Mixin;", Mixin.class, PICOCLI + "Spec;", Spec.class);
    private static final Map<Class<?>, Map<String, Object>> DEFAULTS = new HashMap<>();

    private ClassFileSpecs() {
    }

    /** The model of {@code command} (a class or an instance), or null when it must be built by reflection. */
    public static CommandSpec spec(Object command, IFactory factory) {
        CommandUserObject userObject = CommandUserObject.create(command, factory);
        List<Class<?>> hierarchy = new ArrayList<>();
        for (Class<?> c = userObject.getType(); c != null && c != Object.class; c = c.getSuperclass()) {
            hierarchy.addFirst(c);
        }
        Map<Class<?>, ClassAnnotations> classFiles = new LinkedHashMap<>();
        for (Class<?> c : hierarchy) {
            ClassAnnotations annotations = read(c);
            if (annotations == null || !modelled(annotations)) {
                return null;
            }
            classFiles.put(c, annotations);
        }
        CommandSpec result = CommandSpec.wrapWithoutInspection(userObject, factory);
        boolean annotated = false;
        boolean mixinStandardHelpOptions = false;
        for (Map.Entry<Class<?>, ClassAnnotations> e : classFiles.entrySet()) {
            Class<?> cls = e.getKey();
            for (ClassAnnotations.Value v : e.getValue().onClass()) {
                if (SUPPORTED.get(v.descriptor()) == Command.class) {
                    Command cmd = new CommandValues(v, cls.getClassLoader());
                    result.updateCommandAttributes(cmd, factory);
                    annotated = true;
                    mixinStandardHelpOptions |= cmd.mixinStandardHelpOptions();
                }
            }
            for (Field field : cls.getDeclaredFields()) {
                List<ClassAnnotations.Value> values = e.getValue().onFields().getOrDefault(field.getName(), List.of());
                Map<Class<? extends Annotation>, Annotation> annotations = annotations(values, cls.getClassLoader());
                if (!annotations.isEmpty()) {
                    add(result, new Member(field, annotations, userObject), factory);
                    annotated |= !annotations.containsKey(Spec.class);
                }
            }
        }
        if (!annotated) {
            return null; // not a command: picocli reports that in its own words
        }
        result.mixinStandardHelpOptions(mixinStandardHelpOptions);
        for (OptionSpec option : result.options()) {
            option.messages(result.usageMessage().messages());
        }
        for (PositionalParamSpec positional : result.positionalParameters()) {
            positional.messages(result.usageMessage().messages());
        }
        result.validate();
        return result;
    }

    private static ClassAnnotations read(Class<?> type) {
        try {
            return ClassAnnotations.of(type);
        } catch (IOException e) {
            return null;
        }
    }

    /** True when every picocli annotation of the class is one this builder handles, at most one per field. */
    private static boolean modelled(ClassAnnotations a) {
        for (List<ClassAnnotations.Value> method : a.onMethods().values()) {
            if (method.stream().anyMatch(v -> v.descriptor().startsWith(PICOCLI))) {
                return false;
            }
        }
        for (List<ClassAnnotations.Value> field : a.onFields().values()) {
            List<ClassAnnotations.Value> picocli = field.stream().filter(v -> v.descriptor().startsWith(PICOCLI)).toList();
            if (picocli.size() > 1 || picocli.stream().anyMatch(v -> !SUPPORTED.containsKey(v.descriptor())
                    || v.descriptor().endsWith("$Command;"))) {
                return false;
            }
        }
        for (ClassAnnotations.Value v : a.onClass()) {
            if (v.descriptor().startsWith(PICOCLI) && (!v.descriptor().endsWith("$Command;")
                    || v.elements().containsKey("subcommands") || v.elements().containsKey("versionProvider"))) {
                return false;
            }
        }
        return true;
    }

    private static Map<Class<? extends Annotation>, Annotation> annotations(List<ClassAnnotations.Value> values,
            ClassLoader loader) {
        Map<Class<? extends Annotation>, Annotation> result = new HashMap<>();
        for (ClassAnnotations.Value v : values) {
            Class<? extends Annotation> type = SUPPORTED.get(v.descriptor());
            if (type == Option.class) {
                result.put(type, new OptionValues(v, loader));
            } else if (type == Parameters.class) {
                result.put(type, new ParametersValues(v, loader));
            } else if (type == Mixin.class) {
                result.put(type, new MixinValues(v, loader));
            } else if (type == Spec.class) {
                result.put(type, new SpecValues(v, loader));
            }
        }
        return result;
    }

    /** CommandReflection.initFromAnnotatedTypedMembers for the annotations modelled here. */
    private static void add(CommandSpec spec, Member member, IFactory factory) {
        if (member.isMixin()) {
            CommandSpec mixin = mixin(member, factory);
            spec.addMixin(member.getMixinName(), mixin, member);
            for (IAnnotatedElement element : mixin.specElements()) {
                if (element.getAnnotation(Spec.class).value() == Spec.Target.MIXEE) {
                    set(element.setter(), spec, "Could not inject MIXEE spec");
                }
            }
        } else if (member.isOption() || member.isParameter()) {
            Class<?> type = member.field.getType();
            if (Modifier.isFinal(member.field.getModifiers())
                    && (type.isPrimitive() || String.class.isAssignableFrom(type))) {
                throw new CommandLine.InitializationException("Constant (final) primitive and String fields like "
                        + member.field + " cannot be used as " + (member.isOption() ? "an @Option" : "a @Parameter")
                        + ": compile-time constant inlining may hide new values written to it.");
            }
            spec.add(member.isOption() ? OptionSpec.builder(member, factory).build()
                    : PositionalParamSpec.builder(member, factory).build());
        } else if (member.isSpec()) {
            if (!CommandSpec.class.getName().equals(member.getTypeInfo().getClassName())) {
                throw new CommandLine.InitializationException(
                        "@picocli.CommandLine.Spec annotation is only supported on fields of type "
                                + CommandSpec.class.getName());
            }
            spec.addSpecElement(member);
            if (member.getAnnotation(Spec.class).value() == Spec.Target.SELF) {
                set(member.setter(), spec, "Could not inject spec");
            }
        }
    }

    /** CommandReflection.buildMixinForMember: the mixin object is the field's value, created when it is null. */
    private static CommandSpec mixin(Member member, IFactory factory) {
        try {
            Object mixin = member.getter().get();
            if (mixin == null) {
                mixin = factory.create(member.getTypeInfo().getType());
                member.setter().set(mixin);
            }
            CommandSpec spec = spec(mixin, factory);
            if (spec == null) {
                spec = CommandSpec.forAnnotatedObject(mixin, factory);
            }
            return spec.withToString(member.getToString());
        } catch (CommandLine.InitializationException e) {
            throw e;
        } catch (Exception e) {
            throw new CommandLine.InitializationException("Could not access or modify mixin member " + member + ": "
                    + e, e);
        }
    }

    private static void set(ISetter setter, Object value, String failure) {
        try {
            setter.set(value);
        } catch (Exception e) {
            throw new CommandLine.InitializationException(failure, e);
        }
    }

    /** picocli's TypedMember for a field, with the annotations handed in rather than reflected. */
    private static final class Member implements IAnnotatedElement, IExtensible {
        private final Field field;
        private final Map<Class<? extends Annotation>, Annotation> annotations;
        private final IScope scope;
        private final FieldBinding binding;
        private final ITypeInfo typeInfo;

        Member(Field field, Map<Class<? extends Annotation>, Annotation> annotations, IScope scope) {
            field.setAccessible(true);
            this.field = field;
            this.annotations = annotations;
            this.scope = scope;
            this.binding = new FieldBinding(scope, field);
            this.typeInfo = typeInfo(field);
        }

        /** TypedMember.createTypeInfo. */
        private ITypeInfo typeInfo(Field f) {
            Range arity = null;
            Class<?>[] annotationTypes = new Class<?>[0];
            if (isOption()) {
                arity = Range.valueOf(getAnnotation(Option.class).arity());
                annotationTypes = getAnnotation(Option.class).type();
            }
            if (isParameter()) {
                arity = Range.valueOf(getAnnotation(Parameters.class).arity());
                annotationTypes = getAnnotation(Parameters.class).type();
            }
            if (arity == null || arity.isUnspecified()) {
                boolean flag = f.getType() == Boolean.class || f.getType() == boolean.class;
                arity = Range.valueOf(isOption() && flag ? "0" : "1").unspecified(true);
            }
            return RuntimeTypeInfo.create(f.getType(), annotationTypes, f.getGenericType(), arity,
                    isOption() ? boolean.class : String.class, isInteractive());
        }

        @Override
        public Object userObject() {
            return field;
        }

        @Override
        public boolean isAnnotationPresent(Class<? extends Annotation> type) {
            return annotations.containsKey(type);
        }

        @Override
        public <T extends Annotation> T getAnnotation(Class<T> type) {
            return type.cast(annotations.get(type));
        }

        @Override
        public String getName() {
            return field.getName();
        }

        @Override
        public String getMixinName() {
            String name = getAnnotation(Mixin.class).name();
            return name.isEmpty() ? getName() : name;
        }

        @Override
        public boolean isArgSpec() {
            return isOption() || isParameter();
        }

        @Override
        public boolean isOption() {
            return isAnnotationPresent(Option.class);
        }

        @Override
        public boolean isParameter() {
            return isAnnotationPresent(Parameters.class);
        }

        @Override
        public boolean isArgGroup() {
            return false;
        }

        @Override
        public boolean isMixin() {
            return isAnnotationPresent(Mixin.class);
        }

        @Override
        public boolean isUnmatched() {
            return false;
        }

        @Override
        public boolean isSpec() {
            return isAnnotationPresent(Spec.class);
        }

        @Override
        public boolean isParentCommand() {
            return false;
        }

        @Override
        public boolean isMultiValue() {
            Class<?> type = field.getType();
            return type.isArray() && type != char[].class || Collection.class.isAssignableFrom(type)
                    || Map.class.isAssignableFrom(type);
        }

        @Override
        public boolean isInteractive() {
            return isOption() && getAnnotation(Option.class).interactive()
                    || isParameter() && getAnnotation(Parameters.class).interactive();
        }

        @Override
        public boolean hasInitialValue() {
            return true;
        }

        @Override
        public boolean isMethodParameter() {
            return false;
        }

        @Override
        public int getMethodParamPosition() {
            return -1;
        }

        @Override
        public IScope scope() {
            return scope;
        }

        @Override
        public IGetter getter() {
            return binding;
        }

        @Override
        public ISetter setter() {
            return binding;
        }

        @Override
        public ITypeInfo getTypeInfo() {
            return typeInfo;
        }

        @Override
        public String getToString() {
            return isMixin() ? TypedMember.abbreviate("mixin from member " + field.toGenericString())
                    : "field " + TypedMember.abbreviate(field.toGenericString());
        }

        @Override
        public <T> T getExtension(Class<T> type) {
            // The initial value is read from the field when picocli first needs it, as for a reflected field.
            return type == InitialValueState.class ? type.cast(InitialValueState.POSTPONED) : null;
        }

        @Override
        public String toString() {
            return field.toString();
        }
    }

    /**
     * An annotation's values: those written in the class file over the annotation type's defaults (read from its own
     * class file), with class and enum constants resolved when asked for.
     */
    private abstract static class Values implements Annotation {
        private final Map<String, Object> values;
        private final ClassLoader loader;

        Values(Class<? extends Annotation> type, ClassAnnotations.Value value, ClassLoader loader) {
            this.values = new HashMap<>(defaults(type));
            this.values.putAll(value.elements());
            this.loader = loader;
        }

        private static synchronized Map<String, Object> defaults(Class<?> type) {
            return DEFAULTS.computeIfAbsent(type, t -> {
                ClassAnnotations a = read(t);
                if (a == null) {
                    throw new CommandLine.InitializationException("cannot read the class file of " + t);
                }
                return a.defaults();
            });
        }

        final String string(String name) {
            return (String) values.get(name);
        }

        final String[] strings(String name) {
            return ((List<?>) values.get(name)).stream().map(String.class::cast).toArray(String[]::new);
        }

        final boolean bool(String name) {
            return (Boolean) values.get(name);
        }

        final int integer(String name) {
            return (Integer) values.get(name);
        }

        final char character(String name) {
            return (Character) values.get(name);
        }

        @SuppressWarnings("unchecked")
        final <T> Class<T> type(String name) {
            return (Class<T>) resolve((ClassAnnotations.ClassValue) values.get(name));
        }

        @SuppressWarnings("unchecked")
        final <T> Class<T>[] types(String name) {
            return ((List<?>) values.get(name)).stream()
                    .map(v -> resolve((ClassAnnotations.ClassValue) v)).toArray(Class[]::new);
        }

        final <E extends Enum<E>> E constant(String name, Class<E> type) {
            return Enum.valueOf(type, ((ClassAnnotations.EnumValue) values.get(name)).name());
        }

        private Class<?> resolve(ClassAnnotations.ClassValue value) {
            String d = value.descriptor();
            Class<?> primitive = PRIMITIVES.get(d);
            if (primitive != null) {
                return primitive;
            }
            String name = d.startsWith("[") ? d.replace('/', '.') : d.substring(1, d.length() - 1).replace('/', '.');
            try {
                return Class.forName(name, false, loader);
            } catch (ClassNotFoundException e) {
                throw new TypeNotPresentException(name, e);
            }
        }

        private static final Map<String, Class<?>> PRIMITIVES = Map.of("Z", boolean.class, "B", byte.class,
                "C", char.class, "S", short.class, "I", int.class, "J", long.class, "F", float.class,
                "D", double.class, "V", void.class);
    }

    /** {@code @Command}. */
    private static final class CommandValues extends Values implements Command {
        CommandValues(ClassAnnotations.Value value, ClassLoader loader) {
            super(Command.class, value, loader);
        }

        @Override
        public Class<? extends Annotation> annotationType() {
            return Command.class;
        }

        @Override
        public String name() {
            return string("name");
        }

        @Override
        public String[] aliases() {
            return strings("aliases");
        }

        @Override
        public Class<?>[] subcommands() {
            return types("subcommands");
        }

        @Override
        public boolean subcommandsRepeatable() {
            return bool("subcommandsRepeatable");
        }

        @Override
        public boolean addMethodSubcommands() {
            return bool("addMethodSubcommands");
        }

        @Override
        public String separator() {
            return string("separator");
        }

        @Override
        public String[] version() {
            return strings("version");
        }

        @Override
        public Class<? extends CommandLine.IVersionProvider> versionProvider() {
            return type("versionProvider");
        }

        @Override
        public boolean mixinStandardHelpOptions() {
            return bool("mixinStandardHelpOptions");
        }

        @Override
        public boolean helpCommand() {
            return bool("helpCommand");
        }

        @Override
        public String headerHeading() {
            return string("headerHeading");
        }

        @Override
        public String[] header() {
            return strings("header");
        }

        @Override
        public String synopsisHeading() {
            return string("synopsisHeading");
        }

        @Override
        public boolean abbreviateSynopsis() {
            return bool("abbreviateSynopsis");
        }

        @Override
        public String[] customSynopsis() {
            return strings("customSynopsis");
        }

        @Override
        public String synopsisSubcommandLabel() {
            return string("synopsisSubcommandLabel");
        }

        @Override
        public String descriptionHeading() {
            return string("descriptionHeading");
        }

        @Override
        public String[] description() {
            return strings("description");
        }

        @Override
        public String parameterListHeading() {
            return string("parameterListHeading");
        }

        @Override
        public String optionListHeading() {
            return string("optionListHeading");
        }

        @Override
        public boolean sortOptions() {
            return bool("sortOptions");
        }

        @Override
        public boolean sortSynopsis() {
            return bool("sortSynopsis");
        }

        @Override
        public char requiredOptionMarker() {
            return character("requiredOptionMarker");
        }

        @Override
        public Class<? extends CommandLine.IDefaultValueProvider> defaultValueProvider() {
            return type("defaultValueProvider");
        }

        @Override
        public boolean showDefaultValues() {
            return bool("showDefaultValues");
        }

        @Override
        public boolean showAtFileInUsageHelp() {
            return bool("showAtFileInUsageHelp");
        }

        @Override
        public boolean showEndOfOptionsDelimiterInUsageHelp() {
            return bool("showEndOfOptionsDelimiterInUsageHelp");
        }

        @Override
        public String commandListHeading() {
            return string("commandListHeading");
        }

        @Override
        public String footerHeading() {
            return string("footerHeading");
        }

        @Override
        public String[] footer() {
            return strings("footer");
        }

        @Override
        public boolean hidden() {
            return bool("hidden");
        }

        @Override
        public String resourceBundle() {
            return string("resourceBundle");
        }

        @Override
        public int usageHelpWidth() {
            return integer("usageHelpWidth");
        }

        @Override
        public boolean usageHelpAutoWidth() {
            return bool("usageHelpAutoWidth");
        }

        @Override
        public int exitCodeOnSuccess() {
            return integer("exitCodeOnSuccess");
        }

        @Override
        public int exitCodeOnUsageHelp() {
            return integer("exitCodeOnUsageHelp");
        }

        @Override
        public int exitCodeOnVersionHelp() {
            return integer("exitCodeOnVersionHelp");
        }

        @Override
        public int exitCodeOnInvalidInput() {
            return integer("exitCodeOnInvalidInput");
        }

        @Override
        public int exitCodeOnExecutionException() {
            return integer("exitCodeOnExecutionException");
        }

        @Override
        public String exitCodeListHeading() {
            return string("exitCodeListHeading");
        }

        @Override
        public String[] exitCodeList() {
            return strings("exitCodeList");
        }

        @Override
        public CommandLine.ScopeType scope() {
            return constant("scope", CommandLine.ScopeType.class);
        }

        @Override
        public Class<? extends CommandLine.IModelTransformer> modelTransformer() {
            return type("modelTransformer");
        }

        @Override
        public Class<? extends CommandLine.IParameterPreprocessor> preprocessor() {
            return type("preprocessor");
        }
    }

    /** The elements {@code @Option} and {@code @Parameters} share. */
    private abstract static class ArgValues extends Values {
        ArgValues(Class<? extends Annotation> type, ClassAnnotations.Value value, ClassLoader loader) {
            super(type, value, loader);
        }

        public String[] description() {
            return strings("description");
        }

        public String arity() {
            return string("arity");
        }

        public String paramLabel() {
            return string("paramLabel");
        }

        public boolean hideParamSyntax() {
            return bool("hideParamSyntax");
        }

        public Class<?>[] type() {
            return types("type");
        }

        public Class<? extends CommandLine.ITypeConverter<?>>[] converter() {
            return types("converter");
        }

        public String split() {
            return string("split");
        }

        public String splitSynopsisLabel() {
            return string("splitSynopsisLabel");
        }

        public boolean hidden() {
            return bool("hidden");
        }

        public String defaultValue() {
            return string("defaultValue");
        }

        public CommandLine.Help.Visibility showDefaultValue() {
            return constant("showDefaultValue", CommandLine.Help.Visibility.class);
        }

        public Class<? extends Iterable<String>> completionCandidates() {
            return type("completionCandidates");
        }

        public boolean interactive() {
            return bool("interactive");
        }

        public boolean echo() {
            return bool("echo");
        }

        public String prompt() {
            return string("prompt");
        }

        public String descriptionKey() {
            return string("descriptionKey");
        }

        public CommandLine.ScopeType scope() {
            return constant("scope", CommandLine.ScopeType.class);
        }

        public String mapFallbackValue() {
            return string("mapFallbackValue");
        }

        public Class<? extends CommandLine.IParameterConsumer> parameterConsumer() {
            return type("parameterConsumer");
        }

        public Class<? extends CommandLine.IParameterPreprocessor> preprocessor() {
            return type("preprocessor");
        }
    }

    /** {@code @Option}. */
    private static final class OptionValues extends ArgValues implements Option {
        OptionValues(ClassAnnotations.Value value, ClassLoader loader) {
            super(Option.class, value, loader);
        }

        @Override
        public Class<? extends Annotation> annotationType() {
            return Option.class;
        }

        @Override
        public String[] names() {
            return strings("names");
        }

        @Override
        public boolean required() {
            return bool("required");
        }

        @Override
        public boolean help() {
            return bool("help");
        }

        @Override
        public boolean usageHelp() {
            return bool("usageHelp");
        }

        @Override
        public boolean versionHelp() {
            return bool("versionHelp");
        }

        @Override
        public int order() {
            return integer("order");
        }

        @Override
        public boolean negatable() {
            return bool("negatable");
        }

        @Override
        public String fallbackValue() {
            return string("fallbackValue");
        }
    }

    /** {@code @Parameters}. */
    private static final class ParametersValues extends ArgValues implements Parameters {
        ParametersValues(ClassAnnotations.Value value, ClassLoader loader) {
            super(Parameters.class, value, loader);
        }

        @Override
        public Class<? extends Annotation> annotationType() {
            return Parameters.class;
        }

        @Override
        public String index() {
            return string("index");
        }
    }

    /** {@code @Mixin}. */
    private static final class MixinValues extends Values implements Mixin {
        MixinValues(ClassAnnotations.Value value, ClassLoader loader) {
            super(Mixin.class, value, loader);
        }

        @Override
        public Class<? extends Annotation> annotationType() {
            return Mixin.class;
        }

        @Override
        public String name() {
            return string("name");
        }
    }

    /** {@code @Spec}. */
    private static final class SpecValues extends Values implements Spec {
        SpecValues(ClassAnnotations.Value value, ClassLoader loader) {
            super(Spec.class, value, loader);
        }

        @Override
        public Class<? extends Annotation> annotationType() {
            return Spec.class;
        }

        @Override
        public Target value() {
            return constant("value", Target.class);
        }
    }
}
