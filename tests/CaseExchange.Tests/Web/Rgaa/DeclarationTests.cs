using System.Net;
using System.Text.RegularExpressions;
using CaseExchange.Tests.Infrastructure;
using CaseExchange.Web.Accessibility;

namespace CaseExchange.Tests.Web.Rgaa;

/// <summary>The déclaration d'accessibilité says what the committed scan found, in RGAA's words, to anyone, from every footer.</summary>
public sealed class DeclarationTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    private static ScanResults Results(params KnownViolation[] violations) =>
        new(new DateOnly(2026, 12, 3), "axe-core 4.14.0", FullAudit: false, [new ScannedPage("/connexion", ["visiteur non connecté"])], ["label"], violations);

    [Fact]
    public void The_state_is_in_RGAA_words_and_never_total_without_a_full_audit()
    {
        Assert.Equal("partiellement conforme", Conformity.State(Results()));
        Assert.Equal("partiellement conforme", Conformity.State(Results(new KnownViolation("region", "moderate", "h", ["/connexion"]))));
        Assert.Equal("non conforme", Conformity.State(Results(new KnownViolation("label", "critical", "h", ["/connexion"]))));
        Assert.Equal("non conforme", Conformity.State(Results(new KnownViolation("color-contrast", "serious", "h", ["/connexion"]))));
        Assert.Equal("totalement conforme", Conformity.State(Results() with { FullAudit = true }));
    }

    [Fact]
    public async Task The_public_page_renders_the_committed_results_with_the_contact_and_the_voie_de_recours()
    {
        var results = ScanResults.Committed;
        Assert.NotEmpty(results.Pages);
        using var anonymous = await fixture.Service.PageClientAsync(null);
        var response = await anonymous.GetAsync("/accessibilite", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Contains("<h1>Déclaration d'accessibilité</h1>", html);
        Assert.Contains($"CaseExchange est <strong>{Conformity.State(results)}</strong>", html);
        Assert.Contains($"{results.Pages.Count} pages ont été vérifiées", html);
        foreach (var page in results.Pages) Assert.Contains($"<code>{DeclarationModel.Readable(page.Route)}</code>", html);
        foreach (var violation in results.Violations) Assert.Contains($"<code>{violation.Rule}</code>", html);
        Assert.Contains("coordonnateur de votre conseil", html);
        Assert.Contains("Défenseur des droits", html);
        Assert.Contains("Libre réponse 71120", html);
        // The footer of every page, here the sign-in page's, links to it with the state.
        var signIn = WebUtility.HtmlDecode(await (await anonymous.GetAsync("/connexion", TestContext.Current.CancellationToken)).Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Matches(new Regex($"<footer[^>]*>.*<a href=\"/accessibilite\">Accessibilité : {Conformity.State(results)}</a>.*</footer>", RegexOptions.Singleline), signIn);
    }
}
