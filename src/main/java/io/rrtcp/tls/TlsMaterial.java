package io.rrtcp.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A server's certificate chain, its private key and the CAs its clients' certificates must chain to, read from PEM
 * files and checked: the files exist and parse, and the key belongs to the first certificate.
 *
 * @param warnings findings that do not stop the server (an expired or not yet valid certificate)
 */
public record TlsMaterial(List<X509Certificate> chain, PrivateKey key, List<X509Certificate> clientCas,
                          List<String> warnings) {
    private static final String[] KEY_ALGORITHMS = {"RSA", "EC", "EdDSA", "RSASSA-PSS"};

    public TlsMaterial {
        chain = List.copyOf(chain);
        clientCas = List.copyOf(clientCas);
        warnings = List.copyOf(warnings);
    }

    /** The server's own certificate. */
    public X509Certificate leaf() {
        return chain.get(0);
    }

    /**
     * Reads and checks the three files.
     *
     * @throws TlsFileException naming the key (cert, key, client_ca) whose file is missing, unreadable or wrong
     */
    public static TlsMaterial load(Path cert, Path key, Optional<Path> clientCa) throws TlsFileException {
        List<X509Certificate> chain = certificates("cert", cert);
        PrivateKey privateKey = privateKey(key, chain.get(0));
        if (!belongTogether(privateKey, chain.get(0).getPublicKey())) {
            throw new TlsFileException("key", "the private key in " + key + " does not belong to the certificate in "
                    + cert + " (their public keys differ); was only one of the two files replaced?");
        }
        List<X509Certificate> cas = clientCa.isPresent() ? certificates("client_ca", clientCa.get()) : List.of();
        return new TlsMaterial(chain, privateKey, cas, validity(cert, chain.get(0)));
    }

    private static List<String> validity(Path file, X509Certificate leaf) {
        try {
            leaf.checkValidity();
            return List.of();
        } catch (CertificateExpiredException e) {
            return List.of("the certificate in " + file + " expired on " + leaf.getNotAfter().toInstant()
                    + "; serving it anyway (clients will refuse it) until a renewed one appears on disk");
        } catch (CertificateNotYetValidException e) {
            return List.of("the certificate in " + file + " is not valid before " + leaf.getNotBefore().toInstant()
                    + " (check the clock); serving it anyway");
        }
    }

    private static List<X509Certificate> certificates(String key, Path file) throws TlsFileException {
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (PemBlock block : blocks(key, file)) {
                if (block.type().equals("CERTIFICATE")) {
                    out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
                }
            }
        } catch (CertificateException e) {
            throw new TlsFileException(key, "a certificate in " + file + " cannot be parsed: " + e.getMessage());
        }
        if (out.isEmpty()) {
            throw new TlsFileException(key, "no certificate in " + file
                    + " (expected PEM: -----BEGIN CERTIFICATE-----)");
        }
        return out;
    }

    private static PrivateKey privateKey(Path file, X509Certificate leaf) throws TlsFileException {
        for (PemBlock block : blocks("key", file)) {
            if (block.encrypted() || block.type().equals("ENCRYPTED PRIVATE KEY")) {
                throw new TlsFileException("key", "the private key in " + file + " is encrypted; rr-tcp reads "
                        + "unencrypted keys only (decrypt it with: openssl pkey -in " + file + " -out <new file>)");
            }
            byte[] pkcs8 = switch (block.type()) {
                case "PRIVATE KEY" -> block.der();
                case "RSA PRIVATE KEY" -> Der.pkcs8(Der.sequence(Der.element(Der.OID, Der.RSA_ENCRYPTION),
                        Der.element(Der.NULL)), block.der());
                case "EC PRIVATE KEY" -> Der.pkcs8(ecAlgorithm(block.der(), leaf), block.der());
                default -> null;
            };
            if (pkcs8 != null) {
                return decode(file, block.type(), pkcs8);
            }
        }
        throw new TlsFileException("key", "no private key in " + file + " (expected PEM: -----BEGIN PRIVATE KEY-----, "
                + "RSA PRIVATE KEY or EC PRIVATE KEY)");
    }

    /**
     * The PKCS#8 algorithm identifier of a SEC1 key: ecPublicKey with the curve from the key's own parameters, or,
     * when the key leaves them out, the certificate's (a mismatch is then caught by the key check).
     */
    private static byte[] ecAlgorithm(byte[] sec1, X509Certificate leaf) {
        for (Der.Element e : Der.children(sec1)) {
            if (e.tag() == Der.CONTEXT_0) {
                return Der.sequence(Der.element(Der.OID, Der.EC_PUBLIC_KEY), e.content());
            }
        }
        return Der.children(leaf.getPublicKey().getEncoded()).get(0).encoded();
    }

    private static PrivateKey decode(Path file, String type, byte[] pkcs8) throws TlsFileException {
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            } catch (GeneralSecurityException | IllegalArgumentException notThisOne) {
                // try the next algorithm
            }
        }
        throw new TlsFileException("key", "the " + type + " in " + file + " cannot be read as an RSA, EC or EdDSA key");
    }

    /** RSA: the public parts of the key equal the certificate's; other kinds: the key signs what the certificate verifies. */
    private static boolean belongTogether(PrivateKey key, PublicKey certificateKey) {
        if (key instanceof RSAPrivateCrtKey rsa) {
            return certificateKey instanceof RSAPublicKey pub && rsa.getModulus().equals(pub.getModulus())
                    && rsa.getPublicExponent().equals(pub.getPublicExponent());
        }
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
            default -> null;
        };
        if (algorithm == null || !key.getAlgorithm().equals(certificateKey.getAlgorithm())) {
            return false;
        }
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificateKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static List<PemBlock> blocks(String key, Path file) throws TlsFileException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new TlsFileException(key, "no such file: " + file);
        } catch (AccessDeniedException e) {
            throw new TlsFileException(key, "cannot read " + file + ": permission denied");
        } catch (IOException e) {
            throw new TlsFileException(key, "cannot read " + file + ": " + e.getMessage());
        }
        try {
            return PemBlock.parse(text);
        } catch (IllegalArgumentException e) {
            throw new TlsFileException(key, file + ": " + e.getMessage());
        }
    }
}
