using CaseExchange.Councils;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CaseExchange.Web.Pages;

public sealed record CouncilChoice(string Code, string Name);

/// <summary>The councils the signed-in person is an active member of: straight to it when there is one.</summary>
public sealed class AccueilModel(IDocumentStore store) : PageModel
{
    public IReadOnlyList<CouncilChoice> Councils { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        var subject = Actor.SubjectOf(User);
        if (subject is null) return Challenge();
        Councils = await CouncilsOfAsync(store, subject, HttpContext.RequestAborted);
        return Councils.Count == 1 ? Redirect($"/c/{Councils[0].Code}") : Page();
    }

    /// <summary>Every council (tenant) whose member stream registers this subject as an active member.</summary>
    public static async Task<IReadOnlyList<CouncilChoice>> CouncilsOfAsync(IDocumentStore store, string subject, CancellationToken cancellation)
    {
        await using var session = store.QuerySession();
        var councils = await session.Query<Council>().Where(c => c.AnyTenant()).ToListAsync(cancellation);
        var mine = new List<CouncilChoice>();
        foreach (var council in councils.OrderBy(c => c.Name))
        {
            await using var tenant = store.QuerySession(council.Code);
            if (await tenant.Query<Member>().AnyAsync(m => m.Subject == subject && m.Active, cancellation))
                mine.Add(new CouncilChoice(council.Code, council.Name));
        }
        return mine;
    }
}
