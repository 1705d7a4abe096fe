package io.tributary.reliability.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tributary.protocol.sasl.PlainMessage;
import io.tributary.protocol.sasl.SaslAuthenticationFailure;
import io.tributary.protocol.sasl.ScramMessages;

/**
 * Fuzz target for SASL tokens (issue 15, parser family 3): the SASL/PLAIN message and the four
 * SCRAM messages, parsed by the broker (client-first, client-final, PLAIN) before the client is
 * authenticated and by our client (server-first, server-final). The property: a token is parsed
 * or refused with {@link SaslAuthenticationFailure}, which the broker answers with
 * SASL_AUTHENTICATION_FAILED; nothing else escapes.
 */
class SaslTokensFuzzTest {
    @FuzzTest(maxDuration = "10s")
    void tokens(FuzzedDataProvider data) {
        int which = data.consumeInt(0, 4);
        byte[] token = data.consumeRemainingAsBytes();
        try {
            switch (which) {
                case 0 -> PlainMessage.parse(token);
                case 1 -> ScramMessages.ClientFirst.parse(token);
                case 2 -> ScramMessages.ClientFinal.parse(token);
                case 3 -> ScramMessages.ServerFirst.parse(token);
                default -> ScramMessages.ServerFinal.parse(token);
            }
        } catch (SaslAuthenticationFailure refused) {
            // answered SASL_AUTHENTICATION_FAILED
        }
    }
}
