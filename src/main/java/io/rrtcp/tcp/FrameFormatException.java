package io.rrtcp.tcp;

import java.io.IOException;

/** A client's bytes cannot be framed as the server's {@code framing} says, e.g. a varint length of five bytes. */
public final class FrameFormatException extends IOException {
    public FrameFormatException(String message) {
        super(message);
    }
}
