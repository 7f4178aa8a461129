package dev.berth.daemon.routes;

import dev.berth.daemon.http.Exchange;
import dev.berth.daemon.http.Responses;
import dev.berth.engine.EngineException;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The one place where engine failures become HTTP statuses (moby's httpstatus). */
public final class Errors {
    private static final Logger LOG = Logger.getLogger(Errors.class.getName());

    private Errors() {}

    public static int status(EngineException e) {
        return switch (e) {
            case EngineException.NotFound x -> 404;
            case EngineException.InvalidArgument x -> 400;
            case EngineException.Conflict x -> 409;
            case EngineException.NotModified x -> 304;
            case EngineException.Unavailable x -> 503;
            case EngineException.Forbidden x -> 403;
            case EngineException.Internal x -> 500;
            case EngineException.NotImplemented x -> 501;
        };
    }

    /** Answers a failed request, unless the handler already began its response (then the stream is closed). */
    public static void reply(Exchange exchange, Throwable t) {
        if (exchange.answered()) {
            LOG.log(Level.FINE, "error after the response began: " + exchange.method() + " " + exchange.path(), t);
            return;
        }
        if (t instanceof EngineException e) {
            int status = status(e);
            if (status == 304) {
                exchange.sendEmpty(304);
            } else {
                Responses.error(exchange, status, e.getMessage());
            }
            if (status == 500) {
                LOG.log(Level.WARNING, exchange.method() + " " + exchange.path() + " failed", t);
            }
            return;
        }
        if (t instanceof com.fasterxml.jackson.core.JacksonException j) {
            Responses.error(exchange, 400, "invalid JSON: " + j.getOriginalMessage());
            return;
        }
        LOG.log(Level.WARNING, exchange.method() + " " + exchange.path() + " failed", t);
        Responses.error(exchange, 500, t.getClass().getSimpleName() + ": " + t.getMessage());
    }
}
