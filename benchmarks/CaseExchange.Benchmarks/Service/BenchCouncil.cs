using System.Security.Claims;
using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Situations.Referral;
using Marten;

namespace CaseExchange.Benchmarks.Service;

public sealed record BenchMember(Guid Id, string Subject)
{
    /// <summary>The principal the API's token authentication would produce for this member.</summary>
    public ClaimsPrincipal Principal { get; } = new(new ClaimsIdentity([new Claim("sub", Subject)], "Bearer"));
}

/// <summary>
/// A council for the live figures: a coordonnateur and one member per concurrent client, all in one working group
/// with the membre role and the charter in force signed, so every referral and every opening is allowed.
/// Seeded as the operator's bootstrap and the coordonnateur's acts would record it.
/// </summary>
public sealed record BenchCouncil(string Code, Guid GroupId, IReadOnlyList<BenchMember> Members)
{
    public const string Sector = "nord";

    public static async Task<BenchCouncil> SeedAsync(IDocumentStore store, CharterPolicy policy, string code, int members, DateTimeOffset now)
    {
        var coordinatorId = await CouncilBootstrap.EstablishAsync(store, policy, code, "CLSPD de mesure",
            [new Sector("nord", "Quartier nord"), new Sector("sud", "Quartier sud")],
            new FirstCoordinator($"{code}.coordonnateur", "Coordonnatrice", "Mairie", "Coordonnatrice du CLSPD"), now);

        await using var session = store.LightweightSession(code);
        session.Events.Append(coordinatorId, new CharterSigned(coordinatorId, policy.Version, policy.Fingerprint, now));
        var list = new List<BenchMember>();
        string[] organisations = ["Éducation nationale", "Police municipale", "Bailleur social", "CCAS", "Prévention spécialisée", "Mission locale"];
        for (var i = 0; i < members; i++)
        {
            var member = new BenchMember(Guid.CreateVersion7(), $"{code}.membre-{i:D2}");
            session.Events.StartStream<Member>(member.Id,
                new MemberRegistered(member.Id, member.Subject, $"Membre {i:D2}", organisations[i % organisations.Length], "Fonction", [], coordinatorId, now),
                new CharterSigned(member.Id, policy.Version, policy.Fingerprint, now));
            list.Add(member);
        }
        var groupId = Guid.CreateVersion7();
        session.Events.StartStream<Group>(groupId, [
            new GroupCreated(groupId, "GT Mesure", GroupKinds.Thematique, null, coordinatorId, now),
            .. list.Select(m => (object)new MemberJoinedGroup(groupId, m.Id, Roles.Membre, coordinatorId, now))]);
        await session.SaveChangesAsync();
        return new BenchCouncil(code, groupId, list);
    }

    /// <summary>A typical referral: the young person followed and a legal representative, every identity field, facts of ~400 characters.</summary>
    public ReferSituation Referral(int worker, long iteration) => Referrals.Typical(GroupId, Sector, $"{worker:D2}{iteration:D6}");
}

public static class Referrals
{
    public const string Facts =
        "Absences répétées depuis la rentrée, signalées par le collège ; deux rendez-vous avec la famille n'ont pas eu lieu. " +
        "Présence le soir sur l'espace public avec un groupe plus âgé, plusieurs incidents rapportés par le bailleur. " +
        "La mère dit se sentir dépassée et demande un accompagnement ; un suivi éducatif a été proposé sans réponse à ce jour.";

    public static ReferSituation Typical(Guid groupId, string sector, string tag)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        return new ReferSituation(groupId, ["decrochage-scolaire", "errance"], sector, "prioritaire",
        [
            Followed(tag, today),
            new PersonInClear("representant-legal", $"Fictivier{tag}", "Nadia", "F", today.AddYears(-41).AddDays(-30), "12 rue des Exemples, 26000 Valence",
                "06 00 00 00 01", $"nadia.{tag}@exemple.test", "Aide-soignante", null),
        ], Facts);
    }

    public static PersonInClear Followed(string tag, DateOnly today) =>
        new(PersonRoles.Followed, $"Fictivier{tag}", "Lucas", "M", today.AddYears(-15).AddDays(-100), "12 rue des Exemples, 26000 Valence",
            "06 00 00 00 02", $"lucas.{tag}@exemple.test", "Collège Imaginaire, classe de 3e", "Mère : Mme Fictivier");

    public static PersonIdentity Identity(string tag) => Followed(tag, DateOnly.FromDateTime(DateTime.UtcNow)).ToIdentity();
}
