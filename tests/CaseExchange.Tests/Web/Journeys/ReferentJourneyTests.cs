using System.Diagnostics;
using System.Text.RegularExpressions;
using CaseExchange.Councils;
using CaseExchange.Journal;
using CaseExchange.Protection;
using CaseExchange.Situations;
using CaseExchange.Tests.Infrastructure;
using CaseExchange.Tests.Journal;
using CaseExchange.Tests.Seances;
using DocumentFormat.OpenXml.Packaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static CaseExchange.Tests.Web.Journeys.JourneySupport;
using static Microsoft.Playwright.Assertions;

namespace CaseExchange.Tests.Web.Journeys;

/// <summary>
/// The référent: the follow-ups with their due dates and overdue actions; records one.
/// In a real browser against the real service, like every journey (<see cref="JourneysCollection"/>).
/// </summary>
[Collection(JourneysCollection.Name)]
public sealed class ReferentJourneyTests(BrowserFixture fixture)
{
    private TestCouncil Council => fixture.Council;

    [Fact]
    public async Task Referent_sees_the_follow_ups_with_due_dates_and_overdue_actions_and_records_one()
    {
        Assert.SkipUnless(BrowserFixture.CanRun, BrowserFixture.SkipReason);
        var timer = Stopwatch.StartNew();
        var (situation, _) = await fixture.Steps.FollowedUpAsync(Council.Referent);
        await AddOverdueActionAsync(fixture, situation);
        var pseudonym = (await fixture.Service.GetJsonAsync<System.Text.Json.JsonElement>(Council.Coordonnateur, $"{Council.Api}/situations/{situation}"))
            .GetProperty("pseudonym").GetString()!;

        var page = await fixture.SignInAsync(Council.Referent);
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Mes suivis" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Mes suivis");
        var followUp = page.Locator("section.panel", new() { HasText = pseudonym });
        await Expect(followUp).ToContainTextAsync("Prise de contact avec la famille");
        await Expect(followUp).ToContainTextAsync(Display(DateOnly.FromDateTime(DateTime.UtcNow.AddDays(30))));
        var overdue = followUp.Locator("tr.row--overdue");
        await Expect(overdue).ToContainTextAsync("Point de situation au groupe");
        await Expect(overdue).ToContainTextAsync("En retard");
        await Expect(page.Locator("main")).ToContainTextAsync("1 action a dépassé son échéance.");
        await Accessibility.AssertAsync(page);

        await followUp.GetByRole(AriaRole.Link, new() { Name = "Enregistrer un point de suivi" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync($"Enregistrer un point de suivi — {pseudonym}");
        await Accessibility.AssertAsync(page);
        await page.GetByLabel("Prise de contact avec la famille").CheckAsync();
        await page.GetByLabel("État de l'action").SelectOptionAsync(new SelectOptionValue { Label = "Réalisée" });
        await page.GetByLabel("Note de suivi").FillAsync("Famille rencontrée au CCAS le 3 mars (fictif).");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer le point de suivi" }).ClickAsync();

        await Expect(page.Locator("[role=status]")).ToContainTextAsync($"Point de suivi enregistré pour {pseudonym}");
        followUp = page.Locator("section.panel", new() { HasText = pseudonym });
        await Expect(followUp.Locator("tr", new() { HasText = "Prise de contact avec la famille" })).ToContainTextAsync("Réalisée");
        await Expect(followUp.Locator("tr.row--overdue")).ToContainTextAsync("En retard");
        await Accessibility.AssertAsync(page);
        await Screenshots.SaveAsync(page, "referent");
        Console.WriteLine($"[browser] référent journey: {timer.Elapsed.TotalSeconds:F1} s");
    }
}
