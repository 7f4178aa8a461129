package dev.berth.daemon.routes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.daemon.http.Exchange;
import dev.berth.daemon.http.Responses;
import dev.berth.registry.Progress;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Docker's JSON message stream for pulls and pushes: one object per line, {@code status}, {@code id},
 * {@code progressDetail} and the daemon-side rendering in {@code progress}. The response starts with the first message,
 * so an error before any (an unknown image) is still an HTTP error status, as with Docker; after it, errors travel
 * in-band as {@code errorDetail}.
 */
final class ProgressStream implements Progress, AutoCloseable {
    private static final int BAR = 50;

    private final Exchange ex;
    private OutputStream out;

    ProgressStream(Exchange ex) {
        this.ex = ex;
    }

    boolean started() {
        return out != null;
    }

    @Override
    public synchronized void update(String id, String status, long current, long total) {
        ObjectNode m = Responses.JSON.createObjectNode();
        m.put("status", status);
        ObjectNode detail = m.putObject("progressDetail");
        if (current >= 0 && total >= 0) {
            detail.put("current", current).put("total", total);
            m.put("progress", render(current, total));
        }
        if (id != null && !id.isEmpty()) {
            m.put("id", id);
        } else {
            m.remove("progressDetail");
        }
        write(m);
    }

    synchronized void error(String message) {
        ObjectNode m = Responses.JSON.createObjectNode();
        m.putObject("errorDetail").put("message", message);
        m.put("error", message);
        write(m);
    }

    private void write(ObjectNode m) {
        try {
            if (out == null) {
                out = ex.stream(200, "application/json");
            }
            out.write((Responses.JSON.writeValueAsString(m) + "\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** jsonmessage's JSONProgress.String at the daemon's width: "[====>     ]  12.3MB/45.6MB". */
    static String render(long current, long total) {
        if (total <= 0) {
            return String.format(Locale.ROOT, "%8s", humanSize(current));
        }
        int filled = Math.min(BAR, (int) (100.0 * current / total) / 2);
        String numbers = current > total ? String.format(Locale.ROOT, "%8s", humanSize(current))
                : String.format(Locale.ROOT, "%8s/%s", humanSize(current), humanSize(total));
        return "[" + "=".repeat(filled) + ">" + " ".repeat(BAR - filled) + "] " + numbers;
    }

    /** go-units HumanSize: decimal units, four significant digits ("12.35MB"). */
    static String humanSize(double size) {
        String[] units = {"B", "kB", "MB", "GB", "TB", "PB"};
        int i = 0;
        while (size >= 1000 && i < units.length - 1) {
            size /= 1000;
            i++;
        }
        String n = String.format(Locale.ROOT, "%.4g", size);
        if (n.contains(".") && !n.contains("e")) {
            n = n.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return n + units[i];
    }

    @Override
    public synchronized void close() throws IOException {
        if (out != null) {
            out.close();
        }
    }
}
