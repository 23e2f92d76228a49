using CaseExchange.Charter;
using CaseExchange.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Councils.CharterInForce;

/// <summary>
/// A council's own charter version, within the deployment's bounds: a label, the charte and règlement intérieur texts
/// (Markdown), for each closed list the codes kept (every code of the deployment's list when a list is not named), the
/// statistics threshold and the retention periods (the deployment's when not given).
/// </summary>
public sealed record AdoptCouncilCharter(
    string? Version, string? Charte, string? Reglement, IReadOnlyDictionary<string, IReadOnlyList<string>>? Lists,
    int? StatisticsMinimumCount, int? InactiveArchiveYears, int? AgeLimitYears);

public static class AdoptCouncilCharterEndpoint
{
    /// <summary>The coordonnateur puts the council's own version in force (as adopted by the plenary); everyone must then sign it.</summary>
    [WolverinePost("/api/councils/{council}/charter/versions", Summary = "Mettre en vigueur une version de la charte propre au conseil (coordonnateur)"), Tags("Charte")]
    public static CharterView Post(AdoptCouncilCharter command, CouncilRequest request) => AdoptCouncilCharterUseCase.Handle(request, command);
}

public static class AdoptCouncilCharterUseCase
{
    public const int MaxTextLength = 100_000;
    public const int MaxStatisticsMinimumCount = 100;

    public static CharterView Handle(CouncilRequest request, AdoptCouncilCharter command)
    {
        var (actor, deployment) = (request.Actor, request.DeploymentPolicy);
        actor.RequireCouncilCapability(request.Policy, Capabilities.ManageCouncil);
        Check(command, deployment, actor.Council).ThrowIfAny();
        var adopted = Decide(actor.Council, deployment, command, actor.Id, request.Now);
        request.Session.Events.Append(Council.StreamId, actor.Council.Version + 1, adopted);
        var policy = deployment.NarrowedBy(adopted.Version, adopted.Fingerprint, adopted.Terms);
        return new CharterView(policy.Version, policy.Title, policy.Fingerprint, policy.Version, SignedByMe: false,
            CouncilCharter.FullText(adopted.Charte, adopted.Reglement));
    }

    /// <summary>The field of a list's codes, as the form and the API name it.</summary>
    public static string ListField(string list) => $"lists.{list}";

    public static ValidationErrors Check(AdoptCouncilCharter command, CharterPolicy deployment, Council council)
    {
        var errors = new ValidationErrors()
            .RequireText(command.Version, "version", "Le libellé de la version", 40)
            .When(command.Version is { } label && (label.Trim() == deployment.Version || council.CharterVersionsAdopted.Contains(label.Trim())), "version",
                "Ce libellé désigne déjà une version de la charte dans ce conseil : chaque version porte son propre libellé.")
            .RequireText(command.Charte, "charte", "Le texte de la charte", MaxTextLength)
            .RequireText(command.Reglement, "reglement", "Le texte du règlement intérieur", MaxTextLength);

        foreach (var (name, codes) in command.Lists ?? new Dictionary<string, IReadOnlyList<string>>())
        {
            if (CharterLists.Named(name) is not { } list)
            {
                errors.Add("lists", "Une des listes nommées n'est pas une liste fermée de la charte que le conseil peut restreindre.");
                continue;
            }
            var bound = list.Of(deployment);
            errors.When(codes.Count == 0, ListField(name), $"{list.Label} : gardez au moins une entrée.")
                .When(codes.Any(c => !bound.Has(c)), ListField(name), $"{list.Label} : seuls les codes de la charte du déploiement peuvent être gardés.");
            if (name == "personRoles")
                errors.When(!codes.Contains(PersonRoles.Followed), ListField(name), $"{list.Label} : la personne suivie est toujours gardée.");
        }

        var bounds = (deployment.Statistics.MinimumCount, deployment.Retention.InactiveArchiveYears, deployment.Retention.AgeLimitYears);
        return errors
            .When(command.StatisticsMinimumCount is { } t && t < bounds.MinimumCount, "statisticsMinimumCount",
                $"Le seuil des statistiques ne peut pas être inférieur à celui du déploiement ({bounds.MinimumCount}).")
            .When(command.StatisticsMinimumCount > MaxStatisticsMinimumCount, "statisticsMinimumCount",
                $"Le seuil des statistiques ne dépasse pas {MaxStatisticsMinimumCount}.")
            .When(command.InactiveArchiveYears is { } y && (y < 1 || y > bounds.InactiveArchiveYears), "inactiveArchiveYears",
                $"La durée d'archive inactive est comprise entre 1 an et celle du déploiement ({bounds.InactiveArchiveYears} ans).")
            .When(command.AgeLimitYears is { } a && (a < 18 || a > bounds.AgeLimitYears), "ageLimitYears",
                $"L'âge limite de conservation est compris entre 18 ans et celui du déploiement ({bounds.AgeLimitYears} ans).");
    }

    /// <summary>The terms of the version: every list's kept entries, in the deployment's order and wording, and its values.</summary>
    public static CharterTerms TermsOf(AdoptCouncilCharter command, CharterPolicy deployment)
    {
        var lists = CharterLists.All.ToDictionary(l => l.Name, l =>
        {
            var bound = l.Of(deployment);
            return command.Lists?.GetValueOrDefault(l.Name) is { } kept
                ? (IReadOnlyList<ListEntry>)[.. bound.Where(e => kept.Contains(e.Code))]
                : [.. bound];
        });
        return new CharterTerms(lists, command.StatisticsMinimumCount ?? deployment.Statistics.MinimumCount,
            command.InactiveArchiveYears ?? deployment.Retention.InactiveArchiveYears, command.AgeLimitYears ?? deployment.Retention.AgeLimitYears);
    }

    /// <summary>The adoption, with its fingerprint; a version that breaks the charter's fixed rules is refused like the deployment's would be.</summary>
    public static CouncilCharterVersionAdopted Decide(Council council, CharterPolicy deployment, AdoptCouncilCharter command, Guid actorId, DateTimeOffset now)
    {
        var (version, charte, reglement) = (command.Version!.Trim(), command.Charte!.Replace("\r\n", "\n"), command.Reglement!.Replace("\r\n", "\n"));
        var terms = TermsOf(command, deployment);
        var fingerprint = CouncilCharter.Fingerprint(version, charte, reglement, terms);
        try
        {
            deployment.NarrowedBy(version, fingerprint, terms);
        }
        catch (CharterPolicyException)
        {
            new ValidationErrors().Add("lists", "Cette version contredit les règles fixes de la charte (voir la charte du déploiement).").ThrowIfAny();
        }
        if (council.CharterFingerprint == fingerprint) throw Problems.OutOfOrder("Cette version est déjà en vigueur.");
        return new CouncilCharterVersionAdopted(version, fingerprint, charte, reglement, terms, actorId, now);
    }
}
