using System.Text.RegularExpressions;
using CaseExchange.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CaseExchange.Tests.Web.Journeys;

/// <summary>
/// The coordonnateur puts the council's own charter version in force from its page (a refused form keeps what was typed),
/// then sees, before signing it again, what changed since the version signed. On a council of its own: the journeys'
/// shared council keeps the shipped version.
/// </summary>
[Collection(JourneysCollection.Name)]
public sealed class CharterVersionJourneyTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Coordonnateur_adopts_the_councils_own_version_then_sees_what_changed_and_signs_it()
    {
        Assert.SkipUnless(BrowserFixture.CanRun, BrowserFixture.SkipReason);
        var council = await TestCouncil.CreateAsync(fixture.Service, "web-charte");
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/connexion");
        await page.GetByLabel("Identifiant du membre").FillAsync(council.Coordonnateur);
        await page.GetByRole(AriaRole.Button, new() { Name = "Se connecter", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/c/{Regex.Escape(council.Code)}$"));

        await page.GotoAsync($"/c/{council.Code}/charte");
        await page.GetByRole(AriaRole.Link, new() { Name = "Adopter une version propre au conseil" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Adopter une version de la charte propre au conseil");
        await Accessibility.AssertAsync(page);

        // The shipped version's label names a version already: refused by the service, what was typed kept.
        await page.GetByLabel("Libellé de la version").FillAsync("2026.1");
        await page.GetByLabel("Signes de rupture ou d'emprise").UncheckAsync();
        await page.GetByLabel("Seuil des statistiques").FillAsync("6");
        await page.GetByRole(AriaRole.Button, new() { Name = "Mettre cette version en vigueur" }).ClickAsync();
        await Expect(page.Locator("main")).ToContainTextAsync("Ce libellé désigne déjà une version de la charte dans ce conseil");
        await Expect(page.GetByLabel("Seuil des statistiques")).ToHaveValueAsync("6");
        await Expect(page.GetByLabel("Signes de rupture ou d'emprise")).Not.ToBeCheckedAsync();
        await Expect(page.GetByLabel("Errance, présence prolongée sur l'espace public")).ToBeCheckedAsync();
        await Accessibility.AssertAsync(page);

        await page.GetByLabel("Libellé de la version").FillAsync("pleniere-2027");
        await page.GetByRole(AriaRole.Button, new() { Name = "Mettre cette version en vigueur" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/c/{Regex.Escape(council.Code)}/charte$"));
        await Expect(page.Locator("main")).ToContainTextAsync("La version pleniere-2027 de la charte est en vigueur");
        var changes = page.Locator("#changements");
        await Expect(changes).ToContainTextAsync("Ce qui a changé depuis la version 2026.1 que vous avez signée");
        await Expect(changes).ToContainTextAsync("Retiré : Signes de rupture ou d'emprise");
        await Expect(changes).ToContainTextAsync("5 → 6");
        await Accessibility.AssertAsync(page);

        await page.GetByLabel("J'ai lu la charte déontologique").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Signer la charte" }).ClickAsync();
        await Expect(page.Locator("main")).ToContainTextAsync("Vous avez signé la charte, version pleniere-2027");
        await Expect(page.Locator("#changements")).ToHaveCountAsync(0);
    }
}
