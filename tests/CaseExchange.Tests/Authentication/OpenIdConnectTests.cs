using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using CaseExchange.Http;
using AuthenticationSchemes = CaseExchange.Hosting.AuthenticationSchemes;
using CaseExchange.Tests.Infrastructure;
using CaseExchange.Tests.Journal;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace CaseExchange.Tests.Authentication;

/// <summary>
/// The service configured as in production (no development sign-in): pages signed in through a real OpenID Connect
/// provider, API tokens checked against its published keys. The council is set up beforehand by a development host on
/// the same database; the subjects of its members are the logins typed on the provider's form.
/// </summary>
public sealed class OpenIdConnectFixture : IAsyncLifetime
{
    public const string Code = "oidc";

    public static bool CanRun => OidcProvider.Available || OidcProvider.MustRun;

    public OidcProvider Provider { get; private set; } = null!;
    public TestService Service { get; private set; } = null!;
    public TestCouncil Council { get; private set; } = null!;
    public Guid Situation { get; private set; }

    /// <summary>The bodies the service posted to the provider, by path.</summary>
    public List<(string Path, string Body)> Backchannel { get; } = [];

    public async ValueTask InitializeAsync()
    {
        if (!CanRun) return;
        var started = Stopwatch.StartNew();
        var connectionString = await (await TestPostgres.GetAsync()).CreateDatabaseAsync("oidc");
        var installing = OidcProvider.StartAsync(new()
        {
            // The claims ProConnect returns for a public agent (the service itself only uses "sub").
            [$"{Code}.coordonnateur"] = new()
            {
                ["email"] = "coordonnatrice@mairie.exemple.test", ["given_name"] = "Camille", ["usual_name"] = "Testeuse",
                ["siret"] = "21260198200018", ["idp_id"] = "idp-de-la-mairie", ["name"] = "Camille Testeuse",
            },
        });
        await using (var setup = await TestService.StartAsync(connectionString))
        {
            Council = await TestCouncil.CreateAsync(setup, Code);
            Situation = (await Council.ReferAsync(setup, TestPerson.Distinctive("Oidc"), "Faits distinctifs Oidc")).Id;
        }
        Provider = await installing;
        Service = await TestService.StartAsync(connectionString, settings: new Dictionary<string, string?>
        {
            ["Authentication:DevelopmentSignIn:Enabled"] = "false",
            ["Authentication:DevelopmentSignIn:SigningKey"] = null,
            ["Authentication:Authority"] = Provider.Issuer,
            ["Authentication:ClientId"] = OidcProvider.ServiceClientId,
            ["Authentication:ClientSecret"] = OidcProvider.ServiceClientSecret,
            ["Authentication:Scopes"] = "openid email given_name usual_name siret",
            // One second instead of one minute between two fetches of the provider's keys: the rollover test need not wait.
            ["Authentication:SigningKeysRefreshInterval"] = "00:00:01",
        }, services: services =>
        {
            // Only the trust in the provider's throwaway TLS certificate differs from production.
            services.Configure<JwtBearerOptions>(AuthenticationSchemes.Api, o => o.BackchannelHttpHandler = Provider.CreateTrustingHandler());
            // The service's own calls to the provider (pushed authorization request, code for tokens) are recorded.
            services.Configure<OpenIdConnectOptions>(AuthenticationSchemes.OpenIdConnect, o => o.BackchannelHttpHandler = new RecordingHandler(Backchannel)
            {
                InnerHandler = Provider.CreateTrustingHandler(),
            });
        });
        Console.WriteLine($"[oidc] provider, council and service ready in {started.Elapsed.TotalSeconds:F1} s");
    }

    public FormBrowser Browser() => new(Service.Client, Provider.CreateTrustingHandler());

    /// <summary>Signs in on the pages through the provider: its login form (the login is the subject), then its consent form.</summary>
    public async Task<(FormBrowser Browser, HttpResponseMessage Landing)> SignInAsync(string subject, string returnPath = "/")
    {
        var browser = Browser();
        var login = await browser.GetAsync($"https://localhost/connexion?retour={Uri.EscapeDataString(returnPath)}");
        Assert.Equal(Provider.Issuer, login.RequestMessage!.RequestUri!.GetLeftPart(UriPartial.Authority));
        var consent = await browser.SubmitAsync(login, new Dictionary<string, string> { ["login"] = subject, ["password"] = "peu-importe" });
        var formPost = await browser.SubmitAsync(consent);
        // The provider answers with a form posted back to the service (response_mode=form_post).
        var landing = await browser.SubmitAsync(formPost, actionContains: "/signin-oidc");
        // A sign-in the service started over (after a key rollover) comes back once more through such a form.
        if (landing.RequestMessage!.RequestUri!.Host != "localhost" && (await landing.Content.ReadAsStringAsync()).Contains("/signin-oidc"))
            landing = await browser.SubmitAsync(landing, actionContains: "/signin-oidc");
        return (browser, landing);
    }

    /// <summary>An API access token (a JWT for the given resource) as a public command-line client gets one: code flow with PKCE.</summary>
    public async Task<string> ApiTokenAsync(string subject, string resource = OidcProvider.CaseExchangeResource)
    {
        using var browser = Browser();
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64UrlEncoder.Encode(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(verifier)));
        var authorize = QueryHelpers.AddQueryString($"{Provider.Issuer}/auth", new Dictionary<string, string?>
        {
            ["client_id"] = OidcProvider.ApiClientId, ["response_type"] = "code", ["scope"] = "openid api",
            ["redirect_uri"] = OidcProvider.ApiClientRedirectUri, ["code_challenge"] = challenge, ["code_challenge_method"] = "S256",
            ["resource"] = resource, ["state"] = "etat", ["prompt"] = "consent",
        });
        var login = await browser.GetAsync(authorize);
        var consent = await browser.SubmitAsync(login, new Dictionary<string, string> { ["login"] = subject, ["password"] = "peu-importe" });
        // The last hop goes to the client's redirect URI (nothing listens there): the code is in its query.
        var callback = await SubmitUntilRedirectToAsync(browser, consent, OidcProvider.ApiClientRedirectUri);
        var code = QueryHelpers.ParseQuery(callback.Query)["code"].ToString();
        Assert.NotEmpty(code);

        using var network = new HttpClient(Provider.CreateTrustingHandler());
        var response = await network.PostAsync($"{Provider.Issuer}/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = OidcProvider.ApiClientRedirectUri,
            ["client_id"] = OidcProvider.ApiClientId, ["code_verifier"] = verifier, ["resource"] = resource,
        }));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }

    private static async Task<Uri> SubmitUntilRedirectToAsync(FormBrowser browser, HttpResponseMessage consent, string redirectUri)
    {
        var html = await consent.Content.ReadAsStringAsync();
        var action = System.Text.RegularExpressions.Regex.Match(html, "<form[^>]*action=\"([^\"]+)\"").Groups[1].Value;
        var response = await browser.SendAsync(HttpMethod.Post, new Uri(consent.RequestMessage!.RequestUri!, action),
            new Dictionary<string, string> { ["prompt"] = "consent" });
        for (var hops = 0; hops < 10; hops++)
        {
            var location = new Uri(response.RequestMessage!.RequestUri!, response.Headers.Location!);
            if (location.ToString().StartsWith(redirectUri, StringComparison.Ordinal)) return location;
            response = await browser.SendAsync(HttpMethod.Get, location);
        }
        throw new InvalidOperationException("The provider never redirected to the client.");
    }

    public async Task<HttpResponseMessage> ApiGetAsync(string token, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await Service.Client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        if (Service is not null) await Service.DisposeAsync();
        if (Provider is not null) await Provider.DisposeAsync();
    }
}

/// <summary>Passes requests on unchanged and keeps the form bodies posted, for the test to read.</summary>
public sealed class RecordingHandler(List<(string Path, string Body)> posted) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is not null)
        {
            var body = await request.Content.ReadAsStringAsync(cancellationToken);
            lock (posted) posted.Add((request.RequestUri!.AbsolutePath, body));
        }
        return await base.SendAsync(request, cancellationToken);
    }
}

public sealed class OpenIdConnectTests(OpenIdConnectFixture fixture) : IClassFixture<OpenIdConnectFixture>
{
    private TestCouncil Council => fixture.Council;

    private static void SkipWithoutNode() => Assert.SkipUnless(OpenIdConnectFixture.CanRun, OidcProvider.SkipReason);

    [Fact]
    public async Task Pages_sign_in_through_the_provider_with_the_authorization_code_flow_and_PKCE()
    {
        SkipWithoutNode();
        var (browser, landing) = await fixture.SignInAsync(Council.Coordonnateur, $"/c/{Council.Code}");
        using var _ = browser;

        // The provider offers pushed authorization requests (RFC 9126): the service posts the request's parameters
        // to it and the browser only carries a reference. Without that offer (ProConnect), they travel in the URL.
        var authorize = browser.Visited.First(u => u.AbsolutePath == "/auth");
        string Posted(string path) { lock (fixture.Backchannel) return fixture.Backchannel.LastOrDefault(p => p.Path == path).Body ?? ""; }
        var pushed = QueryHelpers.ParseQuery(Posted("/request") is { Length: > 0 } body ? body : authorize.Query);
        Assert.Equal("code", pushed["response_type"].ToString());
        Assert.Equal("S256", pushed["code_challenge_method"].ToString());
        Assert.NotEmpty(pushed["code_challenge"].ToString());
        Assert.Equal(OidcProvider.ServiceRedirectUri, pushed["redirect_uri"].ToString());
        Assert.Equal("openid email given_name usual_name siret", pushed["scope"].ToString());
        // The code was exchanged with the PKCE verifier.
        var exchange = QueryHelpers.ParseQuery(Posted("/token"));
        Assert.Equal("authorization_code", exchange["grant_type"].ToString());
        Assert.NotEmpty(exchange["code_verifier"].ToString());

        Assert.Equal(HttpStatusCode.OK, landing.StatusCode);
        Assert.Equal($"/c/{Council.Code}", landing.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains("Coordonnatrice Test", await landing.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Api_accepts_the_providers_access_token_checked_against_its_published_keys()
    {
        SkipWithoutNode();
        var token = await fixture.ApiTokenAsync(Council.Coordonnateur);

        var me = await fixture.ApiGetAsync(token, $"{Council.Api}/me");
        await Answers.ExpectAsync(me, 200);
        Assert.Equal(Council.Id(Council.Coordonnateur), (await me.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("memberId").GetGuid());

        // The same token with one byte of its signature changed.
        var parts = token.Split('.');
        var signature = Base64UrlEncoder.DecodeBytes(parts[2]);
        signature[^1] ^= 0x01;
        var forged = await fixture.ApiGetAsync($"{parts[0]}.{parts[1]}.{Base64UrlEncoder.Encode(signature)}", $"{Council.Api}/me");
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
    }

    [Fact]
    public async Task Tokens_for_another_audience_and_expired_tokens_are_refused_with_401()
    {
        SkipWithoutNode();
        var foreign = await fixture.ApiGetAsync(await fixture.ApiTokenAsync(Council.Coordonnateur, OidcProvider.ForeignResource), $"{Council.Api}/me");
        Assert.Equal(HttpStatusCode.Unauthorized, foreign.StatusCode);
        Assert.Contains("audience", string.Join(' ', foreign.Headers.WwwAuthenticate), StringComparison.OrdinalIgnoreCase);

        // A provider whose clock is 30 minutes behind issues tokens (5 minutes of life) that expired 25 minutes ago:
        // beyond the 5 minutes of clock skew that the service tolerates.
        await fixture.Provider.RestartAsync(clockOffsetSeconds: -30 * 60);
        string expired;
        try { expired = await fixture.ApiTokenAsync(Council.Coordonnateur); }
        finally { await fixture.Provider.RestartAsync(); }
        var refused = await fixture.ApiGetAsync(expired, $"{Council.Api}/me");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("expired", string.Join(' ', refused.Headers.WwwAuthenticate), StringComparison.OrdinalIgnoreCase);

        // The provider back on time: the same member, the same service, accepted.
        await Answers.ExpectAsync(await fixture.ApiGetAsync(await fixture.ApiTokenAsync(Council.Coordonnateur), $"{Council.Api}/me"), 200);
    }

    [Fact]
    public async Task After_a_key_rollover_new_tokens_are_accepted_and_tokens_of_the_retired_key_refused()
    {
        SkipWithoutNode();
        var before = await fixture.ApiTokenAsync(Council.Coordonnateur);
        await Answers.ExpectAsync(await fixture.ApiGetAsync(before, $"{Council.Api}/me"), 200);
        // The pages have fetched the provider's keys too (their own copy).
        var (earlier, signedIn) = await fixture.SignInAsync(Council.Coordonnateur, $"/c/{Council.Code}");
        earlier.Dispose();
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        var oldKey = fixture.Provider.SigningKeyId;

        await fixture.Provider.RestartAsync(newSigningKey: true);
        Assert.NotEqual(oldKey, fixture.Provider.SigningKeyId);
        var after = await fixture.ApiTokenAsync(Council.Coordonnateur);

        // A token signed with a key the service has not seen makes it fetch the provider's keys again (JWKS), in the
        // background: the first attempts may be refused while the fetch is under way.
        var clock = Stopwatch.StartNew();
        var refusals = 0;
        HttpResponseMessage response;
        while ((response = await fixture.ApiGetAsync(after, $"{Council.Api}/me")).StatusCode == HttpStatusCode.Unauthorized && clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            refusals++;
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        await Answers.ExpectAsync(response, 200);
        Console.WriteLine($"[oidc] key rollover: new token accepted after {refusals} refusal(s), {clock.ElapsedMilliseconds} ms");

        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.ApiGetAsync(before, $"{Council.Api}/me")).StatusCode);

        // The pages' sign-in checks ID tokens with its own copy of the keys. An ID token of the new key makes it fetch the
        // keys; if they are still not there, the service starts the sign-in over once. Either way the member lands on the page.
        var (browser, landing) = await fixture.SignInAsync(Council.Coordonnateur, $"/c/{Council.Code}");
        using var _ = browser;
        Assert.Equal(HttpStatusCode.OK, landing.StatusCode);
        Assert.Equal($"/c/{Council.Code}", landing.RequestMessage!.RequestUri!.AbsolutePath);
        // Once, when the library fetched the keys during the validation itself; twice, when the service had to start over.
        Assert.InRange(browser.Visited.Count(u => u.AbsolutePath == "/signin-oidc"), 1, 2);
        Console.WriteLine($"[oidc] key rollover: page sign-in came back {browser.Visited.Count(u => u.AbsolutePath == "/signin-oidc")} time(s) to /signin-oidc");
    }

    [Fact]
    public async Task Logout_ends_the_session_of_the_service_and_of_the_provider()
    {
        SkipWithoutNode();
        var (browser, landing) = await fixture.SignInAsync(Council.Auditeur, $"/c/{Council.Code}");
        using var _ = browser;
        Assert.Equal(HttpStatusCode.OK, landing.StatusCode);

        var logoutPage = await browser.GetAsync("https://localhost/deconnexion");
        var providerConfirmation = await browser.SubmitAsync(logoutPage, actionContains: "/deconnexion");
        // RP-initiated logout: the provider's end-session endpoint, told which session by the ID token.
        var endSession = browser.Visited.Last(u => u.AbsolutePath.StartsWith("/session/end", StringComparison.Ordinal) && u.Query.Length > 0);
        Assert.NotEmpty(QueryHelpers.ParseQuery(endSession.Query)["id_token_hint"].ToString());
        var signedOut = await browser.SubmitAsync(providerConfirmation, new Dictionary<string, string> { ["logout"] = "yes" });
        Assert.Equal("/deconnexion", signedOut.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains("Vous êtes déconnecté(e).", await signedOut.Content.ReadAsStringAsync());

        // The service's session is over: its pages send to the provider again, which asks for the login again.
        var again = await browser.GetAsync($"https://localhost/c/{Council.Code}");
        Assert.Equal(fixture.Provider.Issuer, again.RequestMessage!.RequestUri!.GetLeftPart(UriPartial.Authority));
        Assert.Contains("name=\"login\"", await again.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_subject_unknown_to_the_council_gets_a_clear_403_and_its_nominative_attempt_is_journalled()
    {
        SkipWithoutNode();
        const string stranger = "agent.inconnu@autre-administration";
        var (browser, landing) = await fixture.SignInAsync(stranger, $"/c/{Council.Code}");
        using var _ = browser;
        Assert.Equal(HttpStatusCode.Forbidden, landing.StatusCode);
        Assert.Contains("Seuls les membres actifs du conseil, inscrits par le coordonnateur", await landing.Content.ReadAsStringAsync());

        var token = await fixture.ApiTokenAsync(stranger);
        var me = await fixture.ApiGetAsync(token, $"{Council.Api}/me");
        Assert.Equal("urn:caseexchange:problem:forbidden:pas-membre-du-conseil", (await Answers.ProblemAsync(me, 403)).GetProperty("type").GetString());

        using var request = new HttpRequestMessage(HttpMethod.Post, $"{Council.Api}/situations/{fixture.Situation}/file-openings")
        {
            Content = JsonContent.Create(new { purpose = JournalTestSupport.Purpose }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        await Answers.ProblemAsync(await fixture.Service.Client.SendAsync(request), 403);
        var journal = await fixture.Service.JournalAsync(Council.Code, fixture.Situation);
        Assert.Contains(journal, e => e.Subject == stranger && !e.Granted && e.MemberId is null);
    }
}
