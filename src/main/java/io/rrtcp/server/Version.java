package io.rrtcp.server;

/** rr-tcp's version: the jar's Implementation-Version, or "dev" when run from classes (tests, the IDE). */
public final class Version {
    private Version() {
    }

    public static String current() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }
}
