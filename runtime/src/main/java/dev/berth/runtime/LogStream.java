package dev.berth.runtime;

/** Which of the container's output streams a chunk of output or a log entry came from. */
public enum LogStream {
    STDOUT,
    STDERR
}
