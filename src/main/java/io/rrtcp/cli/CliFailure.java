package io.rrtcp.cli;

/** A command that cannot go on: the one line to print on stderr and the exit code (1 failure, 2 bad input). */
final class CliFailure extends Exception {
    final int code;

    CliFailure(int code, String message) {
        super(message);
        this.code = code;
    }
}
