package dev.berth.api.types;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.List;
import java.util.Map;

/** Docker's {@code container.Config}: the {@code Config} of create requests, container inspect and image inspect. */
public record ContainerConfig(
        @JsonProperty("Hostname") String hostname,
        @JsonProperty("Domainname") String domainname,
        @JsonProperty("User") String user,
        @JsonProperty("AttachStdin") boolean attachStdin,
        @JsonProperty("AttachStdout") boolean attachStdout,
        @JsonProperty("AttachStderr") boolean attachStderr,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) @JsonProperty("ExposedPorts") Map<String, Object> exposedPorts,
        @JsonProperty("Tty") boolean tty,
        @JsonProperty("OpenStdin") boolean openStdin,
        @JsonProperty("StdinOnce") boolean stdinOnce,
        @JsonProperty("Env") List<String> env,
        @JsonDeserialize(using = StrSlice.class) @JsonProperty("Cmd") List<String> cmd,
        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("Healthcheck") Map<String, Object> healthcheck,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonProperty("ArgsEscaped") boolean argsEscaped,
        @JsonProperty("Image") String image,
        @JsonProperty("Volumes") Map<String, Object> volumes,
        @JsonProperty("WorkingDir") String workingDir,
        @JsonDeserialize(using = StrSlice.class) @JsonProperty("Entrypoint") List<String> entrypoint,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonProperty("NetworkDisabled") boolean networkDisabled,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) @JsonProperty("MacAddress") String macAddress,
        @JsonProperty("OnBuild") List<String> onBuild,
        @JsonProperty("Labels") Map<String, String> labels,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) @JsonProperty("StopSignal") String stopSignal,
        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("StopTimeout") Integer stopTimeout,
        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonDeserialize(using = StrSlice.class) @JsonProperty("Shell")
                List<String> shell) {}
