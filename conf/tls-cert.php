<?php

/**
 * Makes the demo's self-signed TLS certificate on first start (conf/.rr.yaml runs it as server.on_init, before rr-tcp
 * reads tcp.servers.smtp.tls). It does nothing when the files exist, so a certificate of your own put in their place
 * is kept. Uses PHP's openssl extension (built into Debian's php-cli): no other tool needed.
 */

declare(strict_types=1);

$dir = __DIR__ . '/tls';
$cert = "$dir/demo.pem";
$key = "$dir/demo.key";
if (is_file($cert) && is_file($key)) {
    exit(0);
}
if (!is_dir($dir) && !mkdir($dir, 0700, true)) {
    fwrite(STDERR, "cannot create $dir\n");
    exit(1);
}

// openssl needs a config file for the subjectAltName extension (clients check the name against it)
$config = tempnam(sys_get_temp_dir(), 'rr-tcp-demo-cnf');
file_put_contents($config, <<<CNF
    [req]
    distinguished_name = dn
    [dn]
    [demo]
    subjectAltName = DNS:localhost,IP:127.0.0.1
    basicConstraints = CA:FALSE
    keyUsage = digitalSignature, keyEncipherment
    extendedKeyUsage = serverAuth
    CNF);
$options = ['config' => $config, 'x509_extensions' => 'demo', 'digest_alg' => 'sha256'];
try {
    $privateKey = openssl_pkey_new(['private_key_type' => OPENSSL_KEYTYPE_RSA, 'private_key_bits' => 2048] + $options);
    $csr = openssl_csr_new(['commonName' => 'localhost', 'organizationName' => 'rr-tcp demo'], $privateKey, $options);
    $x509 = openssl_csr_sign($csr, null, $privateKey, 365, $options, random_int(1, PHP_INT_MAX));
    if ($privateKey === false || $csr === false || $x509 === false
        || !openssl_x509_export($x509, $certPem) || !openssl_pkey_export($privateKey, $keyPem, null, $options)) {
        fwrite(STDERR, 'openssl failed: ' . openssl_error_string() . "\n");
        exit(1);
    }
} finally {
    unlink($config);
}
file_put_contents($key, $keyPem);
chmod($key, 0600);
file_put_contents($cert, $certPem);
echo "first start: generated a self-signed certificate for the demo's STARTTLS (CN=localhost, RSA 2048, 365 days):\n";
echo "  $cert and $key; clients that verify certificates must trust $cert (swaks --tls does not verify).\n";
