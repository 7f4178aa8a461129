package dev.berth.daemon.http;

import java.util.List;

/** One endpoint's handler: decodes the exchange, calls the engine once, encodes the answer. */
@FunctionalInterface
public interface Route {
    /** {@code params} are the path's {name} parts, URL-decoded, in order. */
    void handle(Exchange exchange, List<String> params) throws Exception;
}
