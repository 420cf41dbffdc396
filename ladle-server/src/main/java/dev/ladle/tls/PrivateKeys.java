package dev.ladle.tls;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.RSAKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads private keys from PEM blocks: PKCS#8 ({@code PRIVATE KEY}), PKCS#1 RSA ({@code RSA PRIVATE KEY})
 * and SEC1 EC ({@code EC PRIVATE KEY}). The last two are wrapped into a PKCS#8 {@code PrivateKeyInfo}
 * (RFC 5208) so the JDK's {@link KeyFactory} can read them.
 */
final class PrivateKeys {
    private static final String PKCS8 = "PRIVATE KEY";
    private static final String PKCS1_RSA = "RSA PRIVATE KEY";
    private static final String SEC1_EC = "EC PRIVATE KEY";
    private static final String EC_PARAMETERS = "EC PARAMETERS";
    private static final String ENCRYPTED_PKCS8 = "ENCRYPTED PRIVATE KEY";

    private static final String RSA_OID = "1.2.840.113549.1.1.1";
    private static final String EC_OID = "1.2.840.10045.2.1";
    /** KeyFactory algorithm by the OID of a PKCS#8 AlgorithmIdentifier. */
    private static final Map<String, String> ALGORITHMS = Map.of(
            RSA_OID, "RSA",
            "1.2.840.113549.1.1.10", "RSASSA-PSS",
            EC_OID, "EC",
            "1.3.101.112", "Ed25519",
            "1.3.101.113", "Ed448",
            "1.2.840.10040.4.1", "DSA");

    /** {@code INTEGER 0}: the PrivateKeyInfo version. */
    private static final byte[] VERSION_0 = {Der.INTEGER, 1, 0};
    /** {@code AlgorithmIdentifier { rsaEncryption, NULL }}. */
    private static final byte[] RSA_ALGORITHM = Der.encode(Der.SEQUENCE,
            new byte[] {Der.OBJECT_IDENTIFIER, 9, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 1, 1, 1},
            new byte[] {Der.NULL, 0});
    /** {@code id-ecPublicKey}. */
    private static final byte[] EC_PUBLIC_KEY = {Der.OBJECT_IDENTIFIER, 7, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 2, 1};

    private PrivateKeys() {
    }

    /**
     * Returns the one private key among {@code blocks}.
     *
     * @throws IllegalArgumentException when there is none, more than one, an encrypted one or an unreadable one
     */
    static PrivateKey fromBlocks(List<Pem.Block> blocks) {
        List<Pem.Block> keys = new ArrayList<>();
        byte[] ecParameters = null;
        for (Pem.Block block : blocks) {
            switch (block.label()) {
                case PKCS8, PKCS1_RSA, SEC1_EC -> keys.add(block);
                case EC_PARAMETERS -> ecParameters = block.der();
                case ENCRYPTED_PKCS8 -> throw new IllegalArgumentException("encrypted private keys are not supported"
                        + " (decrypt it first, for example with: openssl pkey -in key.pem -out plain-key.pem)");
                default -> {
                    if (block.label().endsWith("PRIVATE KEY")) {
                        throw new IllegalArgumentException("unsupported private key type: " + block.label());
                    }
                }
            }
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no private key found (expected a PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block)");
        }
        if (keys.size() > 1) {
            throw new IllegalArgumentException("more than one private key found");
        }
        Pem.Block key = keys.get(0);
        try {
            return switch (key.label()) {
                case PKCS1_RSA -> generate("RSA", Der.encode(Der.SEQUENCE, VERSION_0, RSA_ALGORITHM,
                        Der.encode(Der.OCTET_STRING, key.der())));
                case SEC1_EC -> fromSec1(key.der(), ecParameters);
                default -> fromPkcs8(key.der());
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unreadable " + key.label() + ": " + e.getMessage(), e);
        }
    }

    /** Reads a PKCS#8 PrivateKeyInfo, choosing the key factory by its algorithm identifier. */
    static PrivateKey fromPkcs8(byte[] der) {
        Der.Reader info = Der.Reader.of(der).next(Der.SEQUENCE).children();
        info.next(Der.INTEGER);
        String oid = Der.objectIdentifier(info.next(Der.SEQUENCE).children().next(Der.OBJECT_IDENTIFIER));
        String algorithm = ALGORITHMS.get(oid);
        if (algorithm == null) {
            throw new IllegalArgumentException("unsupported key algorithm " + oid);
        }
        return generate(algorithm, der);
    }

    /**
     * Wraps a SEC1 ECPrivateKey (RFC 5915). The curve comes from its {@code parameters} field or else
     * from an {@code EC PARAMETERS} block (as {@code openssl ecparam -genkey} writes).
     */
    private static PrivateKey fromSec1(byte[] sec1, byte[] separateParameters) {
        Der.Reader fields = Der.Reader.of(sec1).next(Der.SEQUENCE).children();
        fields.next(Der.INTEGER);
        fields.next(Der.OCTET_STRING);
        byte[] curve = separateParameters;
        while (fields.hasNext()) {
            Der.Element field = fields.next();
            if (field.tag() == Der.CONTEXT_0) {
                curve = field.children().next().encoded();
            }
        }
        if (curve == null || curve.length == 0) {
            // an empty EC PARAMETERS block names no curve either
            throw new IllegalArgumentException("the EC key does not name its curve");
        }
        if (curve[0] != Der.OBJECT_IDENTIFIER) {
            throw new IllegalArgumentException("only named curves are supported");
        }
        byte[] algorithm = Der.encode(Der.SEQUENCE, EC_PUBLIC_KEY, curve);
        return generate("EC", Der.encode(Der.SEQUENCE, VERSION_0, algorithm, Der.encode(Der.OCTET_STRING, sec1)));
    }

    private static PrivateKey generate(String algorithm, byte[] pkcs8) {
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * Returns true when {@code key} is the private half of {@code publicKey}: RSA keys by modulus, others
     * by signing a random message and verifying it. Algorithms without a known signature pass.
     */
    static boolean matches(PrivateKey key, PublicKey publicKey) {
        if (key instanceof RSAKey rsa) {
            return publicKey instanceof RSAKey rsaPublic && rsa.getModulus().equals(rsaPublic.getModulus());
        }
        String signatureAlgorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
            case "DSA" -> "SHA256withDSA";
            default -> null;
        };
        if (signatureAlgorithm == null) {
            return true;
        }
        if (!publicKey.getAlgorithm().equals(key.getAlgorithm())
                && !(key.getAlgorithm().startsWith("Ed") && publicKey.getAlgorithm().startsWith("Ed"))) {
            return false;
        }
        try {
            byte[] message = new byte[32];
            new SecureRandom().nextBytes(message);
            Signature signer = Signature.getInstance(signatureAlgorithm);
            signer.initSign(key);
            signer.update(message);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(signatureAlgorithm);
            verifier.initVerify(publicKey);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
