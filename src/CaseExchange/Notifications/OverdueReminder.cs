using CaseExchange.Situations;
using CaseExchange.Web;
using Marten;

namespace CaseExchange.Notifications;

/// <summary>
/// The reminder shown on every page (so at sign-in) of the actions overdue in the follow-ups entrusted to the member:
/// a count and a link, never a name or a pseudonym.
/// </summary>
public static class OverdueReminder
{
    public static async Task<int> CountAsync(CouncilPageModel page)
    {
        if (!page.Me.CharterSigned) return 0;
        var me = page.Actor.Id;
        var mine = await page.Session.Query<Situation>()
            .Where(s => s.ReferentId == me && s.ClosedAt == null && s.NominativeDataErasedAt == null)
            .ToListAsync(page.HttpContext.RequestAborted);
        return Count(mine, me, page.Today);
    }

    /// <summary>Actions still running whose due date is before today, in the member's own follow-ups (pure).</summary>
    public static int Count(IEnumerable<Situation> situations, Guid memberId, DateOnly today) =>
        situations.Where(s => s.ReferentId == memberId && !s.IsClosed && !s.IsErased)
            .SelectMany(s => s.Actions).Count(a => Display.IsOverdue(a.DueOn, a.Status, today));

    public static string Sentence(int count) => count == 1
        ? "Une action de vos suivis a dépassé son échéance."
        : $"{count} actions de vos suivis ont dépassé leur échéance.";
}
