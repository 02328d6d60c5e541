package io.rrtcp.cli;

import picocli.CommandLine;

/** {@code rr-tcp version X (java Y), OS: os, arch: arch}, in the manner of {@code rr --version}. */
public final class VersionProvider implements CommandLine.IVersionProvider {
    public static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }

    @Override
    public String[] getVersion() {
        return new String[]{"rr-tcp version " + version() + " (java " + Runtime.version() + "), OS: "
                + System.getProperty("os.name").toLowerCase() + ", arch: " + System.getProperty("os.arch")};
    }
}
