package io.tributary.protocol.sasl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** S1: SCRAM key derivation and message formats, checked against the example exchange of RFC 7677 section 3. */
class ScramMechanismTest {
    private static final String CLIENT_FIRST = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
    private static final String SERVER_FIRST =
            "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
    private static final String CLIENT_FINAL = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
            + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
    private static final String SERVER_FINAL = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

    @Test
    void rfc7677ExampleProofAndSignature() {
        ScramMechanism m = ScramMechanism.SCRAM_SHA_256;
        ScramMessages.ClientFirst first = ScramMessages.ClientFirst.parse(bytes(CLIENT_FIRST));
        ScramMessages.ServerFirst serverFirst = ScramMessages.ServerFirst.parse(bytes(SERVER_FIRST));
        ScramMessages.ClientFinal fin = ScramMessages.ClientFinal.parse(bytes(CLIENT_FINAL));
        assertThat(first.username()).isEqualTo("user");
        assertThat(serverFirst.iterations()).isEqualTo(4096);
        assertThat(fin.channelBinding()).isEqualTo(ScramMessages.channelBinding(""));

        byte[] salted = m.saltedPassword("pencil", serverFirst.salt(), serverFirst.iterations());
        byte[] auth = ScramMessages.authMessage(first.bare(), serverFirst.text(), fin.withoutProof());
        assertThat(m.clientProof(m.clientKey(salted), auth)).isEqualTo(fin.proof());
        assertThat(ScramMessages.ServerFinal.parse(bytes(SERVER_FINAL)).serverSignature())
                .isEqualTo(m.serverSignature(m.serverKey(salted), auth));

        ScramCredential stored = m.credential("pencil", serverFirst.salt(), 4096);
        assertThat(m.verifyClientProof(stored.storedKey(), auth, fin.proof())).isTrue();
        assertThat(m.verifyClientProof(
                        m.credential("pencil!", serverFirst.salt(), 4096).storedKey(), auth, fin.proof()))
                .isFalse();
    }

    @Test
    void messagesRoundTripToTheSameBytes() {
        assertThat(ScramMessages.ClientFirst.parse(bytes(CLIENT_FIRST)).toBytes())
                .isEqualTo(bytes(CLIENT_FIRST));
        assertThat(ScramMessages.ServerFirst.parse(bytes(SERVER_FIRST)).toBytes())
                .isEqualTo(bytes(SERVER_FIRST));
        assertThat(ScramMessages.ClientFinal.parse(bytes(CLIENT_FINAL)).toBytes())
                .isEqualTo(bytes(CLIENT_FINAL));
        assertThat(ScramMessages.ServerFinal.parse(bytes(SERVER_FINAL)).toBytes())
                .isEqualTo(bytes(SERVER_FINAL));
        String withExtensions = "n,,n=a=3Db=2Cc,r=abc,tokenauth=true,zz=1";
        ScramMessages.ClientFirst parsed = ScramMessages.ClientFirst.parse(bytes(withExtensions));
        assertThat(parsed.username()).isEqualTo("a=b,c");
        assertThat(parsed.extensions()).containsExactly(Map.entry("tokenauth", "true"), Map.entry("zz", "1"));
        assertThat(parsed.toBytes()).isEqualTo(bytes(withExtensions));
        assertThat(ScramMessages.ClientFirst.of("", "a=b,c", "abc", parsed.extensions())
                        .bare())
                .isEqualTo(parsed.bare());
    }

    @Test
    void malformedMessagesFailWithOurErrorNamingThePart() {
        for (String bad : new String[] {
            "",
            "garbage",
            "n,,",
            "n,,n=a",
            "n,,r=x,n=a",
            "y,,n=a,r=b",
            "n,,m=x,n=a,r=b",
            "n,,n=a=4,r=b",
            "n,x,n=a,r=b",
            "n,,n=a,r="
        }) {
            assertThatThrownBy(() -> ScramMessages.ClientFirst.parse(bytes(bad)))
                    .as(bad)
                    .isInstanceOf(SaslAuthenticationFailure.class)
                    .hasMessageStartingWith("Invalid SCRAM message");
        }
        for (String bad : new String[] {"", "c=biws", "c=biws,r=x,p=!!!", "r=x,c=biws,p=AAAA"}) {
            assertThatThrownBy(() -> ScramMessages.ClientFinal.parse(bytes(bad)))
                    .as(bad)
                    .isInstanceOf(SaslAuthenticationFailure.class);
        }
        for (String bad : new String[] {"", "r=x,s=AAAA", "r=x,s=AAAA,i=lots", "r=x,s=%%,i=4096"}) {
            assertThatThrownBy(() -> ScramMessages.ServerFirst.parse(bytes(bad)))
                    .as(bad)
                    .isInstanceOf(SaslAuthenticationFailure.class);
        }
    }

    @Test
    void sha512CredentialsDifferFromSha256AndHaveTheirLength() {
        byte[] salt = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");
        ScramCredential c256 = ScramMechanism.SCRAM_SHA_256.credential("pencil", salt, 4096);
        ScramCredential c512 = ScramMechanism.SCRAM_SHA_512.credential("pencil", salt, 4096);
        assertThat(c256.storedKey()).hasSize(32);
        assertThat(c512.storedKey()).hasSize(64);
        assertThat(c512.toString()).doesNotContain("pencil").contains("4096");
        assertThat(ScramMechanism.forName("SCRAM-SHA-512")).contains(ScramMechanism.SCRAM_SHA_512);
        assertThat(ScramMechanism.forName("SCRAM-SHA-1")).isEmpty();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
