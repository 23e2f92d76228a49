using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace CaseExchange.Tests.Infrastructure;

/// <summary>
/// Statistics are published for closed months only: tests that read them refer their situations in the last closed
/// month, through a second service on the same database whose clock stands in that month.
/// </summary>
public static class PastReferrals
{
    /// <summary>Noon on the 15th of the last month that has ended.</summary>
    public static DateTimeOffset LastClosedMonth
    {
        get
        {
            var now = DateTimeOffset.UtcNow;
            var month = new DateTimeOffset(now.Year, now.Month, 1, 12, 0, 0, TimeSpan.Zero).AddMonths(-1);
            return month.AddDays(14);
        }
    }

    /// <summary>The query of a closed period: from January of the last closed month's year to that month's end.</summary>
    public static string Period
    {
        get
        {
            var month = LastClosedMonth;
            var end = new DateOnly(month.Year, month.Month, 1).AddMonths(1).AddDays(-1);
            return $"from={month.Year}-01-01&to={end:yyyy-MM-dd}";
        }
    }

    /// <summary>Refers the given referrals (request bodies) at <see cref="LastClosedMonth"/> (or <paramref name="at"/>), as <paramref name="subject"/>; their ids.</summary>
    public static async Task<IReadOnlyList<Guid>> ReferAsync(TestService live, string subject, string api, IEnumerable<object> referrals, DateTimeOffset? at = null)
    {
        await using var past = await TestService.StartAsync(live.ConnectionString, new FakeTimeProvider(at ?? LastClosedMonth),
            new Dictionary<string, string?> { ["Retention:Enabled"] = "false" });
        var ids = new List<Guid>();
        foreach (var referral in referrals)
            ids.Add((await past.PostJsonAsync<JsonElement>(subject, $"{api}/situations", referral, 201)).GetProperty("situationId").GetGuid());
        return ids;
    }
}
