package dev.berth.api.types;

import com.fasterxml.jackson.annotation.JsonProperty;

public record RestartPolicy(@JsonProperty("Name") String name, @JsonProperty("MaximumRetryCount") int maximumRetryCount) {}
