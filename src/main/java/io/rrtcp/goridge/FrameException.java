package io.rrtcp.goridge;

import java.io.IOException;

/** Bytes on a relay that are not a valid goridge frame (bad version, CRC, header length or payload length). */
public final class FrameException extends IOException {
    public FrameException(String message) {
        super(message);
    }
}
