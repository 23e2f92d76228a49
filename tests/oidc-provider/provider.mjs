// A certified OpenID Connect provider (panva/oidc-provider) for the tests, over HTTPS on a loopback port.
// Usage: node provider.mjs <settings.json>; prints "listening <issuer>" once it accepts connections.
// The settings (written by tests/CaseExchange.Tests/Authentication/OidcProvider.cs) hold the issuer, the TLS
// certificate, the signing key (a new key on restart = key rollover), the clients, the accounts and their claims,
// the resource servers (audiences of JWT access tokens), and an optional clock offset (a provider whose clock is
// behind issues tokens that are already expired).
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { randomBytes } from 'node:crypto';
import Provider from 'oidc-provider';

const settings = JSON.parse(readFileSync(process.argv[2], 'utf8'));

if (settings.clockOffsetSeconds) {
  const realNow = Date.now.bind(Date);
  Date.now = () => realNow() + settings.clockOffsetSeconds * 1000;
}

const accounts = settings.accounts ?? {};

const provider = new Provider(settings.issuer, {
  clients: settings.clients,
  jwks: { keys: [settings.signingKey] },
  cookies: { keys: [randomBytes(32).toString('base64url')] },
  // Scopes and claims as ProConnect names them (given_name, usual_name, siret, idp_id), plus OpenID's profile.
  scopes: ['openid', 'offline_access', 'email', 'profile', 'given_name', 'usual_name', 'siret', 'idp_id', 'api'],
  claims: {
    openid: ['sub'],
    email: ['email'],
    profile: ['name', 'given_name', 'family_name'],
    given_name: ['given_name'],
    usual_name: ['usual_name'],
    siret: ['siret'],
    idp_id: ['idp_id'],
  },
  async findAccount(_ctx, sub) {
    const claims = accounts[sub] ?? {};
    return { accountId: sub, async claims() { return { sub, ...claims }; } };
  },
  pkce: { required: () => true },
  ttl: {
    AccessToken: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? 300,
    IdToken: 300,
    Session: 3600,
    Grant: 3600,
    Interaction: 3600,
  },
  features: {
    // The provider's own login and consent forms: any login is accepted as the subject (sub).
    devInteractions: { enabled: true },
    rpInitiatedLogout: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => undefined,
      useGrantedResource: () => true,
      getResourceServerInfo(_ctx, resource) {
        const audience = settings.resources?.[resource];
        if (!audience) throw new Provider.errors.InvalidTarget();
        return { scope: 'api', audience, accessTokenFormat: 'jwt', accessTokenTTL: 300, jwt: { sign: { alg: 'RS256' } } };
      },
    },
  },
});

provider.on('server_error', (_ctx, error) => console.error('server_error', error));

const server = createServer({ cert: readFileSync(settings.tlsCertificate), key: readFileSync(settings.tlsKey) }, provider.callback());
server.listen(settings.port, '127.0.0.1', () => console.log(`listening ${settings.issuer}`));

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// The test process may die without stopping us: end with it (stdin closes when the parent goes).
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
