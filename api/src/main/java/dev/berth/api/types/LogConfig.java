package dev.berth.api.types;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

public record LogConfig(@JsonProperty("Type") String type, @JsonProperty("Config") Map<String, String> config) {}
