package io.rrtcp.cli;

import io.rrtcp.server.Version;
import picocli.CommandLine;

/** {@code rr-tcp version X (java Y), OS: os, arch: arch}, in the manner of {@code rr --version}. */
public final class VersionProvider implements CommandLine.IVersionProvider {
    /** rr-tcp's version (kept here for the cli's callers; the server package owns it, so that it needs no cli). */
    public static String version() {
        return Version.current();
    }

    @Override
    public String[] getVersion() {
        return new String[]{"rr-tcp version " + version() + " (java " + Runtime.version() + "), OS: "
                + System.getProperty("os.name").toLowerCase() + ", arch: " + System.getProperty("os.arch")};
    }
}
