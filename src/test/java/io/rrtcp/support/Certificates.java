package io.rrtcp.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test certificates made with the real {@code openssl} (Debian package openssl) in a test's temp folder: a CA, server
 * and client certificates it signs, keys in the formats servers meet (PKCS#8, PKCS#1 RSA, SEC1 EC).
 */
public final class Certificates {
    private final Path dir;
    private final Path openssl;

    private Certificates(Path dir, Path openssl) {
        this.dir = dir;
        this.openssl = openssl;
    }

    public static Certificates in(Path dir) {
        return new Certificates(dir, DebianPackages.require("openssl", "openssl"));
    }

    /** A pair of PEM files. */
    public record Pair(Path cert, Path key) {
    }

    /** A self-signed CA, {@code <name>.pem} and {@code <name>.key}. */
    public Pair ca(String name) throws IOException {
        Pair p = pair(name);
        run(openssl.toString(), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", p.key().toString(),
                "-out", p.cert().toString(), "-days", "2", "-subj", "/CN=" + name);
        return p;
    }

    /**
     * A certificate for {@code cn} (also valid for localhost and 127.0.0.1) signed by {@code ca}, with the given serial
     * and an RSA key in PKCS#8 form.
     */
    public Pair signed(String name, String cn, Pair ca, long serial) throws IOException {
        return signed(name, cn, ca, serial, "rsa:2048");
    }

    /** As above with an openssl -newkey spec, e.g. {@code ec -pkeyopt ec_paramgen_curve:P-256}. */
    public Pair signed(String name, String cn, Pair ca, long serial, String newKey) throws IOException {
        Pair p = pair(name);
        Path csr = dir.resolve(name + ".csr");
        Path ext = dir.resolve(name + ".ext");
        Files.writeString(ext, "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n");
        List<String> req = new ArrayList<>(List.of(openssl.toString(), "req", "-newkey"));
        req.addAll(List.of(newKey.split(" ")));
        req.addAll(List.of("-nodes", "-keyout", p.key().toString(), "-out", csr.toString(), "-subj", "/CN=" + cn));
        run(req.toArray(String[]::new));
        run(openssl.toString(), "x509", "-req", "-in", csr.toString(), "-CA", ca.cert().toString(), "-CAkey",
                ca.key().toString(), "-set_serial", Long.toString(serial), "-days", "2", "-extfile", ext.toString(),
                "-out", p.cert().toString());
        return p;
    }

    /** The same RSA key in PKCS#1 form ("BEGIN RSA PRIVATE KEY"). */
    public Path pkcs1(Path pkcs8Key) throws IOException {
        Path out = dir.resolve(pkcs8Key.getFileName() + ".pkcs1");
        run(openssl.toString(), "rsa", "-in", pkcs8Key.toString(), "-traditional", "-out", out.toString());
        return out;
    }

    /** The same EC key in SEC1 form ("BEGIN EC PRIVATE KEY", with the curve's parameters). */
    public Path sec1(Path pkcs8Key) throws IOException {
        Path out = dir.resolve(pkcs8Key.getFileName() + ".sec1");
        run(openssl.toString(), "ec", "-in", pkcs8Key.toString(), "-out", out.toString());
        return out;
    }

    /** A certificate that expired in 2020, self-signed by the JDK's keytool; cert and key in one PEM file. */
    public Path expired(String name) throws IOException {
        Path store = dir.resolve(name + ".p12");
        Path pem = dir.resolve(name + ".pem");
        run(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair", "-alias", name,
                "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=" + name, "-startdate", "2020/01/01 00:00:00",
                "-validity", "1", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", "changeit");
        run(openssl.toString(), "pkcs12", "-in", store.toString(), "-passin", "pass:changeit", "-nodes", "-out",
                pem.toString());
        return pem;
    }

    /** Runs {@code openssl} with these arguments and returns its output (stdout and stderr). */
    public String openssl(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(openssl.toString()));
        cmd.addAll(List.of(args));
        return run(cmd.toArray(String[]::new));
    }

    private Pair pair(String name) {
        return new Pair(dir.resolve(name + ".pem"), dir.resolve(name + ".key"));
    }

    private String run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + out);
        }
        return out;
    }
}
