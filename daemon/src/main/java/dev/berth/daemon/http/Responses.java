package dev.berth.daemon.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/** JSON in and out of exchanges, and Docker's error body. */
public final class Responses {
    /** Unknown fields are ignored, as Docker does: clients send keys from newer API versions. */
    public static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private Responses() {}

    public static void json(Exchange exchange, int status, Object value) {
        try {
            exchange.send(status, "application/json", JSON.writeValueAsBytes(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Docker's error response: {@code {"message": "..."}} with Content-Type exactly "application/json" (the Go client
     * parses the body only then).
     */
    public static void error(Exchange exchange, int status, String message) {
        ObjectNode body = JSON.createObjectNode().put("message", message);
        json(exchange, status, body);
    }
}
