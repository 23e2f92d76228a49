using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Situations.Links;

/// <summary>Why two situations are linked: a closed list (a family, siblings).</summary>
public static class LinkKinds
{
    public const string Famille = "famille";
    public const string Fratrie = "fratrie";

    public static readonly IReadOnlySet<string> All = new HashSet<string> { Famille, Fratrie };

    public static string Label(string kind) => kind switch
    {
        Famille => "Même famille",
        Fratrie => "Fratrie",
        _ => kind,
    };
}

/// <summary>
/// The coordonnateur linked two situations without opening either: appended to both streams, each from its own side,
/// with the other's pseudonym (never an identity).
/// </summary>
public sealed record SituationsLinked(Guid LinkId, Guid SituationId, Guid OtherSituationId, string OtherPseudonym, string Kind, Guid LinkedBy,
    DateTimeOffset At);

/// <summary>The link was removed: appended to both streams.</summary>
public sealed record SituationsUnlinked(Guid LinkId, Guid SituationId, Guid OtherSituationId, Guid UnlinkedBy, DateTimeOffset At);

/// <summary>A link as the anonymised view shows it: the other situation's pseudonym and the kind.</summary>
public sealed record SituationLinkView(Guid LinkId, Guid OtherSituationId, string OtherPseudonym, string Kind, DateTimeOffset At);

public sealed record LinkSituations(Guid SituationId, Guid OtherSituationId, string? Kind);

public sealed record SituationsLinkedResponse(Guid LinkId, string Pseudonym, string OtherPseudonym, string Kind);

public sealed record SituationsUnlinkedResponse(Guid LinkId);

public static class LinkSituationsEndpoints
{
    [WolverinePost("/api/councils/{council}/situation-links", Summary = "Lier deux situations (famille, fratrie) sans ouvrir aucun dossier (coordonnateur)"),
     Tags("Situations")]
    public static Task<SituationsLinkedResponse> Post(LinkSituations command, CouncilRequest request) =>
        LinkSituationsUseCase.HandleAsync(request, command);

    [WolverineDelete("/api/councils/{council}/situations/{situationId}/links/{linkId}", Summary = "Délier deux situations (coordonnateur)"),
     Tags("Situations")]
    public static Task<SituationsUnlinkedResponse> Delete(Guid situationId, Guid linkId, CouncilRequest request) =>
        UnlinkSituationsUseCase.HandleAsync(request, situationId, linkId);
}

/// <summary>
/// Linking two situations (a family, siblings): the coordonnateur, under the charter, from the anonymised views alone;
/// nothing is decrypted and nothing nominative is written. Both anonymised views then show the other's pseudonym.
/// </summary>
public static class LinkSituationsUseCase
{
    public static async Task<SituationsLinkedResponse> HandleAsync(CouncilRequest request, LinkSituations command)
    {
        var actor = request.Actor;
        actor.Require(AccessRules.LinkSituations(request.Policy, actor.Member, actor.Council));
        Check(command).ThrowIfAny();
        var first = await request.Session.LoadAsync<Situation>(command.SituationId, request.Cancellation);
        var second = await request.Session.LoadAsync<Situation>(command.OtherSituationId, request.Cancellation);
        if (first is null || second is null) throw Problems.NotFound("Situation introuvable dans ce conseil.");

        var (one, other) = Decide(first, second, command.Kind!, Guid.CreateVersion7(request.Now), actor.Id, request.Now);
        request.Session.Events.Append(first.Id, one);
        request.Session.Events.Append(second.Id, other);
        return new SituationsLinkedResponse(one.LinkId, first.Pseudonym, second.Pseudonym, one.Kind);
    }

    public static ValidationErrors Check(LinkSituations command) => new ValidationErrors()
        .When(!LinkKinds.All.Contains(command.Kind ?? ""), "kind", "Choisissez le lien dans la liste (famille, fratrie).")
        .When(command.SituationId == command.OtherSituationId, "otherSituationId", "Une situation ne peut pas être liée à elle-même.")
        .When(command.SituationId == Guid.Empty || command.OtherSituationId == Guid.Empty, "situationId", "Indiquez les deux situations à lier.");

    /// <summary>Pure: one event per stream, or 409 if they are already linked or one of them is erased.</summary>
    public static (SituationsLinked One, SituationsLinked Other) Decide(Situation first, Situation second, string kind, Guid linkId, Guid by,
        DateTimeOffset now)
    {
        if (first.Links.Any(l => l.OtherSituationId == second.Id)) throw Problems.OutOfOrder("Ces deux situations sont déjà liées.");
        if (first.IsErased || second.IsErased) throw Problems.OutOfOrder("Une situation dont les données nominatives sont effacées ne peut plus être liée.");
        return (new SituationsLinked(linkId, first.Id, second.Id, second.Pseudonym, kind, by, now),
            new SituationsLinked(linkId, second.Id, first.Id, first.Pseudonym, kind, by, now));
    }
}

/// <summary>Removing a link: the coordonnateur, under the charter; both streams record it.</summary>
public static class UnlinkSituationsUseCase
{
    public static async Task<SituationsUnlinkedResponse> HandleAsync(CouncilRequest request, Guid situationId, Guid linkId)
    {
        var actor = request.Actor;
        actor.Require(AccessRules.LinkSituations(request.Policy, actor.Member, actor.Council));
        var situation = await request.Session.LoadAsync<Situation>(situationId, request.Cancellation)
                        ?? throw Problems.NotFound("Situation introuvable dans ce conseil.");
        var link = situation.Links.FirstOrDefault(l => l.LinkId == linkId) ?? throw Problems.NotFound("Lien introuvable pour cette situation.");
        foreach (var e in Decide(situation.Id, link, actor.Id, request.Now)) request.Session.Events.Append(e.SituationId, e);
        return new SituationsUnlinkedResponse(linkId);
    }

    public static IReadOnlyList<SituationsUnlinked> Decide(Guid situationId, SituationLinkView link, Guid by, DateTimeOffset now) =>
    [
        new(link.LinkId, situationId, link.OtherSituationId, by, now),
        new(link.LinkId, link.OtherSituationId, situationId, by, now),
    ];
}
