package io.rrtcp.tcp;

import java.io.IOException;

/** Called before each blocking read of a {@link DelimiterScanner}, e.g. to arm the socket's read timeout. */
@FunctionalInterface
public interface ReadGuard {
    ReadGuard NONE = messageStarted -> { };

    /**
     * @param messageStarted whether part of a message is already buffered (its delimiter has not arrived yet)
     * @throws IOException to stop reading, e.g. when a deadline has already passed
     */
    void beforeRead(boolean messageStarted) throws IOException;
}
