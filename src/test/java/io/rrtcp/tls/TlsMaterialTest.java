package io.rrtcp.tls;

import io.rrtcp.support.Certificates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PEM certificates and keys made by openssl, read without any library but the JDK. */
class TlsMaterialTest {
    @TempDir
    static Path dir;
    static Certificates certs;
    static Certificates.Pair ca;
    static Certificates.Pair rsa;
    static Certificates.Pair ec;

    @BeforeAll
    static void makeCertificates() throws IOException {
        certs = Certificates.in(dir);
        ca = certs.ca("ca");
        rsa = certs.signed("rsa", "localhost", ca, 0x1001);
        ec = certs.signed("ec", "localhost", ca, 0x1002, "ec -pkeyopt ec_paramgen_curve:P-256");
    }

    @Test
    void readsAPkcs8RsaKeyAndTheChain() throws Exception {
        Path chain = dir.resolve("chain.pem");
        Files.writeString(chain, Files.readString(rsa.cert()) + Files.readString(ca.cert()));
        TlsMaterial m = TlsMaterial.load(chain, rsa.key(), Optional.empty());
        assertTrue(Files.readString(rsa.key()).contains("BEGIN PRIVATE KEY"));
        assertEquals(2, m.chain().size());
        assertEquals(BigInteger.valueOf(0x1001), m.leaf().getSerialNumber());
        assertEquals("RSA", m.key().getAlgorithm());
        assertTrue(m.warnings().isEmpty());
    }

    @Test
    void readsAPkcs1RsaKey() throws Exception {
        Path pkcs1 = certs.pkcs1(rsa.key());
        assertTrue(Files.readString(pkcs1).contains("BEGIN RSA PRIVATE KEY"));
        assertEquals("RSA", TlsMaterial.load(rsa.cert(), pkcs1, Optional.empty()).key().getAlgorithm());
    }

    @Test
    void readsEcKeysInPkcs8AndSec1Form() throws Exception {
        assertEquals("EC", TlsMaterial.load(ec.cert(), ec.key(), Optional.empty()).key().getAlgorithm());
        Path sec1 = certs.sec1(ec.key());
        assertTrue(Files.readString(sec1).contains("BEGIN EC PRIVATE KEY"));
        assertEquals("EC", TlsMaterial.load(ec.cert(), sec1, Optional.empty()).key().getAlgorithm());
    }

    @Test
    void aKeyOfAnotherCertificateIsRefusedNamingTheKey() {
        TlsFileException rsaMismatch = assertThrows(TlsFileException.class,
                () -> TlsMaterial.load(rsa.cert(), ca.key(), Optional.empty()));
        assertEquals("key", rsaMismatch.key());
        assertTrue(rsaMismatch.getMessage().contains("does not belong to the certificate"), rsaMismatch.getMessage());
        TlsFileException kindMismatch = assertThrows(TlsFileException.class,
                () -> TlsMaterial.load(ec.cert(), rsa.key(), Optional.empty()));
        assertEquals("key", kindMismatch.key());
    }

    @Test
    void anotherEcKeyOnTheSameCurveIsRefused() throws Exception {
        Certificates.Pair other = certs.signed("ec2", "localhost", ca, 0x1003, "ec -pkeyopt ec_paramgen_curve:P-256");
        TlsFileException e = assertThrows(TlsFileException.class,
                () -> TlsMaterial.load(ec.cert(), other.key(), Optional.empty()));
        assertEquals("key", e.key());
    }

    @Test
    void missingAndWrongFilesNameTheirKey() throws Exception {
        TlsFileException noCert = assertThrows(TlsFileException.class,
                () -> TlsMaterial.load(dir.resolve("nope.pem"), rsa.key(), Optional.empty()));
        assertEquals("cert", noCert.key());
        assertTrue(noCert.getMessage().contains("no such file"), noCert.getMessage());
        TlsFileException keyAsCert = assertThrows(TlsFileException.class,
                () -> TlsMaterial.load(rsa.key(), rsa.key(), Optional.empty()));
        assertEquals("cert", keyAsCert.key());
        TlsFileException certAsKey = assertThrows(TlsFileException.class,
                () -> TlsMaterial.load(rsa.cert(), rsa.cert(), Optional.empty()));
        assertEquals("key", certAsKey.key());
        TlsFileException noCa = assertThrows(TlsFileException.class,
                () -> TlsMaterial.load(rsa.cert(), rsa.key(), Optional.of(dir.resolve("no-ca.pem"))));
        assertEquals("client_ca", noCa.key());
    }

    @Test
    void anEncryptedKeyIsRefusedWithTheCommandThatDecryptsIt() throws Exception {
        Path encrypted = dir.resolve("encrypted.key");
        certs.openssl("pkey", "-in", rsa.key().toString(), "-aes256", "-passout", "pass:secret", "-out",
                encrypted.toString());
        TlsFileException e = assertThrows(TlsFileException.class,
                () -> TlsMaterial.load(rsa.cert(), encrypted, Optional.empty()));
        assertTrue(e.getMessage().contains("encrypted") && e.getMessage().contains("openssl pkey"), e.getMessage());
    }

    @Test
    void anExpiredCertificateIsAWarningNotAnError() throws Exception {
        Path both = certs.expired("expired"); // cert and key in one file, with openssl's "Bag Attributes" text
        TlsMaterial m = TlsMaterial.load(both, both, Optional.empty());
        assertEquals(1, m.warnings().size());
        assertTrue(m.warnings().get(0).contains("expired on 2020-01-02"), m.warnings().get(0));
    }
}
