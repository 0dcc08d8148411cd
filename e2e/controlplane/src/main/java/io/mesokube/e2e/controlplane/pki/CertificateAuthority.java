package io.mesokube.e2e.controlplane.pki;

import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away certificate authority that issues the serving and client certificates of a local
 * control plane. Certificates are valid from one hour ago (clock skew) for {@link #VALIDITY}.
 */
public final class CertificateAuthority {

  /** Long enough for any test run or local session. */
  public static final Duration VALIDITY = Duration.ofDays(30);

  private static final SecureRandom RANDOM = new SecureRandom();

  private final IssuedCertificate ca;

  private CertificateAuthority(IssuedCertificate ca) {
    this.ca = ca;
  }

  /** Creates a new self-signed CA whose subject has the given common name. */
  public static CertificateAuthority create(String commonName) {
    var keys = newKeyPair();
    var subject = name(commonName, List.of());
    var certificate =
        sign(
            subject,
            keys,
            subject,
            keys,
            builder -> {
              builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
              builder.addExtension(
                  Extension.keyUsage,
                  true,
                  new KeyUsage(
                      KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
            });
    return new CertificateAuthority(new IssuedCertificate(certificate, keys));
  }

  /** The CA certificate and its key. */
  public IssuedCertificate certificate() {
    return ca;
  }

  /**
   * Issues a TLS server certificate for the given DNS names and IP addresses (the subject's common
   * name is the first DNS name; Go ignores it and checks the SANs).
   */
  public IssuedCertificate issueServer(List<String> dnsNames, List<InetAddress> ipAddresses) {
    var names = new ArrayList<GeneralName>();
    dnsNames.forEach(dns -> names.add(new GeneralName(GeneralName.dNSName, dns)));
    ipAddresses.forEach(
        ip -> names.add(new GeneralName(GeneralName.iPAddress, ip.getHostAddress())));
    return issue(
        dnsNames.getFirst(),
        List.of(),
        KeyPurposeId.id_kp_serverAuth,
        new GeneralNames(names.toArray(GeneralName[]::new)));
  }

  /**
   * Issues a client certificate: Kubernetes reads the common name as the user name and each
   * organization as a group (for example {@code system:masters}).
   */
  public IssuedCertificate issueClient(String user, List<String> groups) {
    return issue(user, groups, KeyPurposeId.id_kp_clientAuth, null);
  }

  private IssuedCertificate issue(
      String commonName, List<String> organizations, KeyPurposeId purpose, GeneralNames sans) {
    var keys = newKeyPair();
    var issuerName = name(ca.certificate());
    var certificate =
        sign(
            name(commonName, organizations),
            keys,
            issuerName,
            ca.keyPair(),
            builder -> {
              builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
              builder.addExtension(
                  Extension.keyUsage,
                  true,
                  new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
              builder.addExtension(
                  Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
              builder.addExtension(
                  Extension.authorityKeyIdentifier,
                  false,
                  extensionUtils().createAuthorityKeyIdentifier(ca.certificate()));
              if (sans != null) {
                builder.addExtension(Extension.subjectAlternativeName, false, sans);
              }
            });
    return new IssuedCertificate(certificate, keys);
  }

  /** A fresh RSA 2048 key pair (RSA because every consumer, Go, Java and Fabric8, reads it). */
  public static KeyPair newKeyPair() {
    try {
      var generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048, RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA is not available", e);
    }
  }

  private interface Extensions {
    void add(X509v3CertificateBuilder builder) throws CertIOException, GeneralSecurityException;
  }

  private static X509Certificate sign(
      X500Name subject, KeyPair subjectKeys, X500Name issuer, KeyPair issuerKeys, Extensions ext) {
    var now = Instant.now();
    var builder =
        new JcaX509v3CertificateBuilder(
            issuer,
            new BigInteger(127, RANDOM).add(BigInteger.ONE),
            Date.from(now.minus(Duration.ofHours(1))),
            Date.from(now.plus(VALIDITY)),
            subject,
            subjectKeys.getPublic());
    try {
      builder.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          extensionUtils().createSubjectKeyIdentifier(subjectKeys.getPublic()));
      ext.add(builder);
      var signer = new JcaContentSignerBuilder("SHA256withRSA").build(issuerKeys.getPrivate());
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    } catch (GeneralSecurityException | CertIOException | OperatorCreationException e) {
      throw new IllegalStateException("cannot sign a certificate for " + subject, e);
    }
  }

  private static JcaX509ExtensionUtils extensionUtils() {
    try {
      return new JcaX509ExtensionUtils();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-1 is not available", e);
    }
  }

  private static X500Name name(String commonName, List<String> organizations) {
    var builder = new X500NameBuilder(BCStyle.INSTANCE);
    organizations.forEach(organization -> builder.addRDN(BCStyle.O, organization));
    builder.addRDN(BCStyle.CN, commonName);
    return builder.build();
  }

  private static X500Name name(X509Certificate certificate) {
    return X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
  }
}
