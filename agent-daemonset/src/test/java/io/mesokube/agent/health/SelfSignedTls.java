package io.mesokube.agent.health;

import java.io.ByteArrayInputStream;
import java.security.KeyStore;
import java.util.Base64;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * TLS for a test HTTPS server: an EC key and a self-signed certificate for CN=task.invalid, a name
 * that is not 127.0.0.1, valid for 100 years. Made once with the JDK's keytool (-genkeypair -keyalg
 * EC -groupname secp256r1 -storetype PKCS12) and kept here, because running keytool takes seconds.
 * It protects nothing.
 */
final class SelfSignedTls {
  private static final char[] PASSWORD = "changeit".toCharArray();
  private static final String PKCS12 =
      "MIID7AIBAzCCA5YGCSqGSIb3DQEHAaCCA4cEggODMIIDfzCCASYGCSqGSIb3DQEHAaCCARcEggETMIIBDzCCAQsGCy"
          + "qGSIb3DQEMCgECoIG9MIG6MGYGCSqGSIb3DQEFDTBZMDgGCSqGSIb3DQEFDDArBBQhpvdWKVMsRKOGHK0mM2NjvMh5"
          + "8gICJxACASAwDAYIKoZIhvcNAgkFADAdBglghkgBZQMEASoEEIWBctscVVn7LuRyxvR8EcQEUMDNNEHys+2HCYF22w"
          + "wwcHucRYuDX6hhR2KsouQrHhyYAy3RRX3wAdpPimSgzB39oyOoqPfek4wVkgMfH5WpSgDwYbzFkVZlfu9Xtjz8SSQv"
          + "MTwwFwYJKoZIhvcNAQkUMQoeCAB0AGEAcwBrMCEGCSqGSIb3DQEJFTEUBBJUaW1lIDE3OTU2NTE4OTgxNDcwggJRBg"
          + "kqhkiG9w0BBwagggJCMIICPgIBADCCAjcGCSqGSIb3DQEHATBmBgkqhkiG9w0BBQ0wWTA4BgkqhkiG9w0BBQwwKwQU"
          + "Yti13LDPh7r/zqSb/DJxu7heH0wCAicQAgEgMAwGCCqGSIb3DQIJBQAwHQYJYIZIAWUDBAEqBBDXcUJL4r3sCPWTY9"
          + "GniAlxgIIBwH3GTBshBTGCXGpnJ7Chd+3qq9msj1udO48nSCCAZ3Qq5c0Hyfd06KHwvldsB6XXt+YaW4tPu3CiEd3E"
          + "/g86V4bjPtmCn4UsSlMvgBspHasFmuR2izjXBJ+1QgP5itqi3nDdUf35j2GTzWVcyedhwDu73Ggjy3YxHQQRoZK2A0"
          + "EdAk8onVe8E+p92dYK4BWDUakv2F9/NU6VGqtQt4+cPBq4o1ctFmHgpKOAkVwia++o/uxEnkaGGANLYiStdsRNBHQZ"
          + "r/9xjnoFHGFUcvGdc36ECjXtUqgrif2D79I8iFgZxgZAGxzrTzAItZqxjEB82qvJUkeNtTJvAFHD/5wYQ0h7iu1zO5"
          + "imv1jn9VsA91I9CZU4UpABG2I5ojyVE2P3FkjLQEhuuCD8kPN+ne+IseX3NAt5PL97+Wwzls2Y61ONDv6MJzQ/a7BX"
          + "2DuwPxXTkSgGlTVxaEP2RizANljyz4IlDaoHSEW3Dcz9ySBffC9fbIh3osf1Wch5j4XhYQyOFN9toor/3NrHlFhCzW"
          + "/lxpKdaLXOodYQaQ91Ni+ocsnHouvLhTQmSDbLb6bsRlsH+7255yxVkOJdh5p6nOP8EzswTTAxMA0GCWCGSAFlAwQC"
          + "AQUABCD7XnABv6gzcppnU7k8oTuuV+dwMetmMg/iRUwNDqA4AwQUWZvDABR9+jelFo+UyiD9d0odMJQCAicQ";

  private SelfSignedTls() {}

  static SSLContext serverContext() throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(new ByteArrayInputStream(Base64.getDecoder().decode(PKCS12)), PASSWORD);
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, PASSWORD);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(keys.getKeyManagers(), null, null);
    return tls;
  }
}
