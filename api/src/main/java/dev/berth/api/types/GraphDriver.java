package dev.berth.api.types;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

public record GraphDriver(@JsonProperty("Name") String name, @JsonProperty("Data") Map<String, String> data) {}
