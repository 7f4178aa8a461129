package dev.berth.api.types;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Docker's strslice: {@code Cmd}, {@code Entrypoint} and {@code Shell} may be sent as a JSON string (one element) or an
 * array of strings. Put {@code @JsonDeserialize(using = StrSlice.class)} on such a {@code List<String>} component.
 */
public final class StrSlice extends JsonDeserializer<List<String>> {
    @Override
    public List<String> deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_STRING) {
            return List.of(p.getText());
        }
        if (p.currentToken() != JsonToken.START_ARRAY) {
            return ctxt.reportInputMismatch(List.class, "expected a string or an array of strings");
        }
        List<String> out = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            out.add(p.getValueAsString());
        }
        return out;
    }

    @Override
    public List<String> getNullValue(DeserializationContext ctxt) {
        return null;
    }
}
