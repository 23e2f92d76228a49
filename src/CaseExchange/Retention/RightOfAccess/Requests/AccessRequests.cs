using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Http;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Retention.RightOfAccess.Requests;

/// <summary>One request as the coordonnateur sees it: reference, dates and codes' labels, days left (negative when overdue).</summary>
public sealed record AccessRequestLine(
    Guid RequestId, string Reference, DateOnly ReceivedOn, string Channel, DateOnly DueOn, int DaysLeft, string? ExtensionReason,
    DateTimeOffset? AnsweredAt)
{
    public bool Overdue => AnsweredAt is null && DaysLeft < 0;
}

/// <summary>The council's requests: open ones by due day (overdue first), then the answered ones, most recent first.</summary>
public sealed record AccessRequestList(DateOnly Today, IReadOnlyList<AccessRequestLine> Open, IReadOnlyList<AccessRequestLine> Answered);

public static class AccessRequestsEndpoint
{
    [WolverineGet("/api/councils/{council}/right-of-access/requests",
        Summary = "Les demandes de droit d'accès du conseil et leur échéance (coordonnateur)"), Tags("Conservation")]
    public static Task<AccessRequestList> Get(CouncilRequest request) => AccessRequestsUseCase.HandleAsync(request);
}

public static class AccessRequestsUseCase
{
    public const int AnsweredShown = 20;

    public static async Task<AccessRequestList> HandleAsync(CouncilRequest request)
    {
        var actor = request.Actor;
        actor.Require(AccessRules.AnswerAccessRequest(request.Policy, actor.Member, actor.Council));
        var requests = await request.Session.Query<AccessRequest>().ToListAsync(request.Cancellation);
        return Build(requests, request.Policy, request.Now);
    }

    /// <summary>The request, for a coordonnateur already judged; 404 when the council holds no such request.</summary>
    public static async Task<AccessRequest> LoadAsync(CouncilRequest request, Guid requestId) =>
        await request.Session.LoadAsync<AccessRequest>(requestId, request.Cancellation)
        ?? throw Problems.NotFound("Demande de droit d'accès introuvable dans ce conseil.");

    /// <summary>Pure: the lines at <paramref name="now"/>, days counted in the council's days.</summary>
    public static AccessRequestList Build(IEnumerable<AccessRequest> requests, CharterPolicy policy, DateTimeOffset now)
    {
        var today = AccessRequestDeadlines.TodayAt(now);
        var lines = requests.Select(r => LineOf(r, policy, today)).ToList();
        return new AccessRequestList(today,
            [.. lines.Where(l => l.AnsweredAt is null).OrderBy(l => l.DueOn).ThenBy(l => l.ReceivedOn)],
            [.. lines.Where(l => l.AnsweredAt is not null).OrderByDescending(l => l.AnsweredAt).Take(AnsweredShown)]);
    }

    public static AccessRequestLine LineOf(AccessRequest r, CharterPolicy policy, DateOnly today) =>
        new(r.Id, r.Reference, r.ReceivedOn, policy.AccessRequestChannels.LabelOf(r.Channel), r.DueOn, AccessRequestDeadlines.DaysLeft(r.DueOn, today),
            r.ExtensionReason is { } reason ? policy.AccessRequestExtensionReasons.LabelOf(reason) : null, r.AnsweredAt);
}
