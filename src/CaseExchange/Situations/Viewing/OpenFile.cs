using System.Security.Claims;
using System.Text.Json.Serialization;
using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Hosting;
using CaseExchange.Protection;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Situations.Viewing;

/// <summary>For a closed situation (inactive archive), a closed-list reason plus a written justification.</summary>
public sealed record ArchiveAccessReason(string? Code, [property: JsonPropertyName("detail")] string? DetailInClear);

/// <summary>Opening a full file requires a stated purpose from the charter's list.</summary>
public sealed record OpenFile(string? Purpose, ArchiveAccessReason? ArchiveReason);

public static class OpenFileEndpoint
{
    [WolverinePost("/api/councils/{council}/situations/{situationId}/file-openings", Summary = "Ouvrir le dossier nominatif (motif requis, consultation journalisée)"), Tags("Situations")]
    public static async Task<NominativeSituationFile> Post(string council, Guid situationId, OpenFile command, ClaimsPrincipal user,
        IDocumentSession session, CharterPolicy policy, SituationKeys keys)
    {
        var actor = await Actor.RequireAsync(user, session);
        var situation = await session.LoadAsync<Situation>(situationId) ?? throw Problems.NotFound("Situation introuvable dans ce conseil.");
        var group = await session.LoadAsync<Group>(situation.GroupId);

        var errors = new ValidationErrors()
            .When(!policy.AccessPurposes.Has(command.Purpose), "purpose", "Indiquez le motif de la consultation, choisi dans la liste de la charte.");
        if (command.ArchiveReason is { } reason)
        {
            errors.When(!policy.ArchiveAccessReasons.Has(reason.Code), "archiveReason.code", "Le motif d'accès à l'archive doit être choisi dans la liste.");
            errors.RequireText(reason.DetailInClear, "archiveReason.detail", "La justification écrite", 1000);
            errors.When(reason.DetailInClear is { Length: < 15 }, "archiveReason.detail", "La justification écrite doit être explicite (15 caractères au moins).");
        }
        errors.ThrowIfAny();

        var verdict = AccessRules.OpenNominativeFile(policy, actor.Member, actor.Council, group, situation, command.ArchiveReason is not null);
        actor.Require(verdict);

        var cipher = await keys.OpenAsync(session, situationId);
        var events = await session.Events.FetchStreamAsync(situationId);
        var members = await session.LoadManyAsync<Member>(NominativeFileBuilder.MembersNamedIn(events));
        return NominativeFileBuilder.Build(situation, events, cipher, members.ToDictionary(m => m.Id), group?.Name ?? "",
            CouncilEndpoints.JournalNotice);
    }
}
