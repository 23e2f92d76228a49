using CaseExchange.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CaseExchange.Tests.Web.Journeys;

/// <summary>
/// A phone (390 px wide): the séance, its ODJ table and the situations list fit; a wide table scrolls in its own box; and
/// at that width the pages pass the same accessibility checks as on a desktop (axe-core: no serious or critical violation).
/// </summary>
[Collection(JourneysCollection.Name)]
public sealed class NarrowScreenTests(BrowserFixture fixture)
{
    [Fact]
    public async Task At_390_px_the_seance_and_list_pages_never_scroll_sideways_and_pass_the_accessibility_scan()
    {
        Assert.SkipUnless(BrowserFixture.CanRun, BrowserFixture.SkipReason);
        var council = fixture.Council;
        var (_, seance) = await new SituationSteps(fixture.Service, council).OnAgendaAsync();
        var page = await fixture.SignInAsync(council.Coordonnateur);
        await page.SetViewportSizeAsync(390, 844);

        foreach (var path in new[] { $"/c/{council.Code}/seances/{seance}", $"/c/{council.Code}/situations", $"/c/{council.Code}/a-faire" })
        {
            var response = await page.GotoAsync(path);
            if (response!.Status == 404) continue; // the dashboard, until it lands
            await Expect(page.Locator("h1")).ToBeVisibleAsync();
            var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
            var (scroll, client) = (widths[0], widths[1]);
            var culprits = scroll <= client ? [] : await page.EvaluateAsync<string[]>(
                "(w) => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w + 1)" +
                ".filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > w + 1))" +
                ".slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))", client);
            Assert.True(scroll <= client, $"{path}: the page is {scroll} px wide in a {client} px window; too wide: {string.Join(", ", culprits)}");
            await Accessibility.AssertAsync(page);
        }
    }
}
