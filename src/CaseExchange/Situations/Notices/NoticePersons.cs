using System.Text.Json.Serialization;
using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Situations.Notices;

/// <summary>Records that a person concerned was informed. No free text: a person id, a date, a means code.</summary>
public sealed record InformPerson(Guid? PersonId, DateOnly? InformedOn, string? Means, long? ExpectedVersion);

/// <summary>Records that the information of a person is deferred: a reason of the charter's list and a review date, both required.</summary>
public sealed record DeferInformation(Guid? PersonId, string? Reason, DateOnly? ReviewOn, long? ExpectedVersion);

public static class PersonNoticeEndpoints
{
    [WolverinePost("/api/councils/{council}/situations/{situationId}/notices/informed", Summary = "Enregistrer l'information d'une personne concernée"), Tags("Situations")]
    public static Task<SituationChangedResponse> Informed(Guid situationId, InformPerson command, CouncilRequest request) =>
        PersonNoticeUseCase.InformAsync(request, situationId, command);

    [WolverinePost("/api/councils/{council}/situations/{situationId}/notices/deferred", Summary = "Différer l'information d'une personne concernée"), Tags("Situations")]
    public static Task<SituationChangedResponse> Deferred(Guid situationId, DeferInformation command, CouncilRequest request) =>
        PersonNoticeUseCase.DeferAsync(request, situationId, command);
}

/// <summary>
/// The individual information of the persons concerned (charte, article 21): the animateur of the holding group or the
/// coordonnateur records that a person was informed, or defers the information for a reason of the charter's list.
/// </summary>
public static class PersonNoticeUseCase
{
    /// <summary>How far ahead a deferral may run before it must be reviewed.</summary>
    public const int MaxDeferralDays = 366;

    public static async Task<SituationChangedResponse> InformAsync(CouncilRequest request, Guid situationId, InformPerson command)
    {
        var target = await SituationForWriting.FetchForLeadAsync(request, situationId, command.ExpectedVersion);
        Check(command, target.Situation, request.Policy, Today(request)).ThrowIfAny();
        return target.Append(Decide(target.Situation, command, request.Actor.Id, request.Now));
    }

    public static async Task<SituationChangedResponse> DeferAsync(CouncilRequest request, Guid situationId, DeferInformation command)
    {
        var target = await SituationForWriting.FetchForLeadAsync(request, situationId, command.ExpectedVersion);
        Check(command, target.Situation, request.Policy, Today(request)).ThrowIfAny();
        return target.Append(Decide(target.Situation, command, request.Actor.Id, request.Now));
    }

    private static DateOnly Today(CouncilRequest request) => DateOnly.FromDateTime(request.Now.UtcDateTime);

    private static bool Concerns(Situation situation, Guid? personId) =>
        personId is not null && situation.Notices.Any(n => n.PersonId == personId);

    /// <summary>Pure: a person of this situation, a date not in the future, a means of the charter's list.</summary>
    public static ValidationErrors Check(InformPerson command, Situation situation, CharterPolicy policy, DateOnly today) => new ValidationErrors()
        .When(!Concerns(situation, command.PersonId), "personId", "La personne doit être l'une des personnes concernées par la situation.")
        .When(command.InformedOn is null, "informedOn", "La date de l'information est obligatoire.")
        .When(command.InformedOn > today, "informedOn", "La date de l'information ne peut pas être dans le futur.")
        .When(!policy.InformationMeans.Has(command.Means), "means", "Le moyen d'information doit être choisi dans la liste de la charte.");

    /// <summary>Pure: a person of this situation, a reason of the charter's list, a review date to come (within a year).</summary>
    public static ValidationErrors Check(DeferInformation command, Situation situation, CharterPolicy policy, DateOnly today) => new ValidationErrors()
        .When(!Concerns(situation, command.PersonId), "personId", "La personne doit être l'une des personnes concernées par la situation.")
        .When(!policy.InformationDeferralReasons.Has(command.Reason), "reason", "Le motif du report doit être choisi dans la liste de la charte.")
        .When(command.ReviewOn is null, "reviewOn", "La date de réexamen du report est obligatoire.")
        .When(command.ReviewOn <= today || command.ReviewOn > today.AddDays(MaxDeferralDays), "reviewOn",
            $"La date de réexamen doit être à venir, dans les {MaxDeferralDays} jours.");

    /// <summary>Pure: an erased or closed situation no longer changes (409); a person already informed is not informed again.</summary>
    public static PersonInformed Decide(Situation situation, InformPerson command, Guid actorId, DateTimeOffset now)
    {
        SituationForWriting.RequireOpen(situation);
        var notice = situation.Notices.Single(n => n.PersonId == command.PersonId);
        if (notice.Informed) throw Problems.OutOfOrder("Cette personne a déjà été informée.");
        return new PersonInformed(situation.Id, notice.PersonId, command.InformedOn!.Value, command.Means!, actorId, now);
    }

    /// <summary>Pure: only the information of a person not yet informed can be deferred (409 otherwise).</summary>
    public static InformationDeferred Decide(Situation situation, DeferInformation command, Guid actorId, DateTimeOffset now)
    {
        SituationForWriting.RequireOpen(situation);
        var notice = situation.Notices.Single(n => n.PersonId == command.PersonId);
        if (notice.Informed) throw Problems.OutOfOrder("Cette personne a déjà été informée : il n'y a plus rien à différer.");
        return new InformationDeferred(situation.Id, notice.PersonId, command.Reason!, command.ReviewOn!.Value, actorId, now);
    }
}
