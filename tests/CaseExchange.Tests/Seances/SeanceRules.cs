using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Http;
using CaseExchange.Protection;
using CaseExchange.Seances;
using CaseExchange.Situations;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace CaseExchange.Tests.Seances;

/// <summary>
/// Pure set-up for the séance use cases' <c>Check</c> and <c>Decide</c>: aggregates built from their own events, the
/// shipped charter, a fixed instant. No service, no database.
/// </summary>
public static class SeanceRules
{
    public static readonly CharterPolicy Policy = CharterPolicy.Load(Path.Combine(AppContext.BaseDirectory, "charter"));

    /// <summary>A Tuesday afternoon in Paris (winter time).</summary>
    public static readonly DateTimeOffset Now = new(2026, 3, 10, 13, 0, 0, TimeSpan.Zero);

    public static readonly Guid Author = Guid.CreateVersion7();

    public static Council Council(params (Guid Id, string Organisation, string Role)[] partners)
    {
        var council = new Council();
        council.Apply(new CharterVersionAdopted(Policy.Version, Policy.Fingerprint, null, Now.AddYears(-1)));
        foreach (var (id, organisation, role) in partners) council.Apply(new PartnerRegistered(id, organisation, role, Author, Now.AddYears(-1)));
        return council;
    }

    public static Member Member(string name, bool signed = true, bool active = true)
    {
        var member = new Member();
        member.Apply(new MemberRegistered(Guid.CreateVersion7(), $"sub-{name}", name, "Organisation", "Fonction", [], null, Now.AddYears(-1)));
        if (signed) member.Apply(new CharterSigned(member.Id, Policy.Version, Policy.Fingerprint, Now.AddYears(-1)));
        if (!active) member.Apply(new MemberDeactivated(member.Id, Author, Now.AddDays(-1)));
        return member;
    }

    public static Group Group(params Member[] members)
    {
        var group = new Group();
        group.Apply(new GroupCreated(Guid.CreateVersion7(), "GT Centre", GroupKinds.Thematique, null, Author, Now.AddYears(-1)));
        foreach (var member in members) group.Apply(new MemberJoinedGroup(group.Id, member.Id, Roles.Membre, Author, Now.AddYears(-1)));
        return group;
    }

    /// <summary>A séance of the group, today unless told otherwise, with attendance recorded and closed on demand.</summary>
    public static Seance Seance(Group group, DateTimeOffset? date = null, bool attendance = false, bool closed = false)
    {
        var seance = new Seance();
        seance.Apply(new SeanceScheduled(Guid.CreateVersion7(), group.Id, date ?? Now, Author, Now.AddDays(-20)));
        if (attendance || closed) seance.Apply(new AttendanceRecorded(seance.Id, [Author], [], [], Author, Now));
        if (closed) seance.Apply(new SeanceClosed(seance.Id, Author, Now));
        return seance;
    }

    public static Situation Situation(Group group, string pseudonym) => new() { Id = Guid.CreateVersion7(), Pseudonym = pseudonym, GroupId = group.Id };

    public static Situation PlacedOn(this Situation situation, Seance seance)
    {
        situation.Apply(new SituationPlacedOnAgenda(situation.Id, seance.Id, seance.Date, Author, Now.AddDays(-2)));
        return situation;
    }

    public static Situation Postponed(this Situation situation, Seance seance)
    {
        situation.Apply(new SituationPostponed(situation.Id, seance.Id, Author, Now));
        return situation;
    }

    public static Situation Examined(this Situation situation, Seance seance)
    {
        situation.Apply(new SituationExamined(situation.Id, seance.Id, new SealedText("v1:AAAA"), [new Decision("orientation", null)], Author, Now));
        return situation;
    }

    /// <summary>The fields a check found wrong, as the 400 answer would list them.</summary>
    public static IReadOnlyCollection<string> Fields(ValidationErrors errors)
    {
        if (!errors.Any) return [];
        var problem = Assert.Throws<ProblemException>(errors.ThrowIfAny).Problem;
        var validation = Assert.IsType<HttpValidationProblemDetails>(problem);
        Assert.Equal(StatusCodes.Status400BadRequest, validation.Status);
        return [.. validation.Errors.Keys];
    }

    /// <summary>The problem a decision refuses with.</summary>
    public static ProblemDetails Refusal(Action decide) => Assert.Throws<ProblemException>(decide).Problem;

    /// <summary>A decision refused as out of order (409): the state forbids it, whatever the form.</summary>
    public static string OutOfOrder(Action decide)
    {
        var problem = Refusal(decide);
        Assert.Equal(StatusCodes.Status409Conflict, problem.Status);
        Assert.Equal(ProblemTypes.OutOfOrder, problem.Type);
        return problem.Detail!;
    }
}
