using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Http;
using CaseExchange.Seances.Convocation;
using CaseExchange.Seances.Paperwork;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Situations.Notices;

public static class InformationLetterEndpoint
{
    [WolverineGet("/api/councils/{council}/situations/{situationId}/information-letter/{format}",
        Summary = "Lettre d'information des personnes concernées (docx, pdf ou html), sans identité"), Tags("Situations")]
    public static Task<IResult> Get(Guid situationId, string format, CouncilRequest request) =>
        InformationLetterUseCase.HandleAsync(request, situationId, format);
}

/// <summary>
/// The letter informing a person concerned (charte, articles 21 and 22): purpose of the processing, recipients (the
/// organisations of the holding group), retention, rights and where to exercise them. For the leads of the holding group.
/// </summary>
public static class InformationLetterUseCase
{
    public static async Task<IResult> HandleAsync(CouncilRequest request, Guid situationId, string format)
    {
        var target = await SituationForWriting.FetchAsync(request.Session, situationId);
        target.RequireLead(request.Actor, request.Policy);
        if (!PaperDocument.Formats.Contains(format)) throw Problems.NotFound("Format inconnu : la lettre est disponible en docx, pdf et html.");
        var council = await request.Session.LoadAsync<Council>(Council.StreamId, request.Cancellation)
                      ?? throw Problems.NotFound("Conseil introuvable.");
        var members = target.HoldingGroup is null ? [] :
            await request.Session.LoadManyAsync<Member>(request.Cancellation, target.HoldingGroup.Members.Keys);
        var letter = Compose(request.Policy, council.Name, members.Select(m => m.Organisation), request.Now);
        return new PaperDownload(letter.Render(format, $"lettre-information-{FrenchTime.Local(request.Now):yyyy-MM-dd}"));
    }

    /// <summary>
    /// Pure: the letter from the policy and the group's organisations. It takes no person, no situation, not even the
    /// pseudonym: the letter leaves the system unsealed (printed, posted, handed over), so it carries no identity at all.
    /// The addressing block is left blank, « Madame, Monsieur, », to be completed by hand by whoever sends it.
    /// </summary>
    public static PaperDocument Compose(CharterPolicy policy, string councilName, IEnumerable<string> organisations, DateTimeOffset now)
    {
        var recipients = organisations.Where(o => !string.IsNullOrWhiteSpace(o)).Select(o => o.Trim())
            .Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList();
        var contact = string.IsNullOrWhiteSpace(policy.DpoContact)
            ? $"le coordonnateur du {councilName}, auprès du service de coordination du conseil"
            : $"le délégué à la protection des données de la commune ({policy.DpoContact.Trim()}), ou le coordonnateur du {councilName}";
        var ageLimitRoles = string.Join(", ", policy.Retention.AgeLimitAppliesToRoles.Select(r => policy.PersonRoles.LabelOf(r).ToLowerInvariant()));
        List<PaperBlock> blocks =
        [
            new PaperParagraph("Nom, prénom et adresse du destinataire : ______________________________________________"),
            new PaperParagraph("______________________________________________________________________________"),
            new PaperParagraph("Madame, Monsieur,"),
            new PaperParagraph($"Votre situation a été portée à la connaissance d'un groupe de travail et d'échange d'informations du {councilName} " +
                "(article L. 132-5 du code de la sécurité intérieure). Des informations vous concernant sont enregistrées dans l'outil d'échange " +
                "du conseil, sous la responsabilité du maire."),
            new PaperHeading("Finalité du traitement"),
            new PaperParagraph("L'échange d'informations a pour seule finalité d'identifier les personnes dont la situation est préoccupante au regard " +
                "du risque de passage à l'acte délinquant, de récidive ou d'exposition au risque d'être victime, et de s'assurer qu'elles font l'objet " +
                "d'une prise en charge appropriée par la coordination des actions des partenaires. Il relève d'une mission d'intérêt public " +
                "(article 6, paragraphe 1, e), du RGPD). Ces informations ne peuvent être utilisées à aucune autre fin."),
            new PaperHeading("Destinataires"),
            new PaperParagraph(recipients.Count == 0
                ? "Les seuls membres du groupe de travail, tenus au secret (article L. 132-5 du code de la sécurité intérieure)."
                : "Les seuls membres du groupe de travail, tenus au secret (article L. 132-5 du code de la sécurité intérieure), qui représentent : " +
                  string.Join(" ; ", recipients) + "."),
            new PaperHeading("Durée de conservation"),
            new PaperParagraph("Les informations sont conservées pendant la durée du suivi, jusqu'à la clôture de la situation, puis " +
                $"{policy.Retention.InactiveArchiveYears} ans en archive inactive avant d'être effacées" +
                (ageLimitRoles.Length == 0 ? "." : $" ; pour la {ageLimitRoles}, elles sont effacées au plus tard à ses {policy.Retention.AgeLimitYears} ans.")),
            new PaperHeading("Vos droits"),
            new PaperParagraph("Vous disposez des droits d'accès, de rectification, d'effacement et de limitation du traitement, ainsi que du droit " +
                "d'opposition dans les conditions de l'article 21 du RGPD. La communication des données exclut les données relatives à des tiers."),
            new PaperParagraph($"Pour les exercer, adressez-vous à {contact}. Il vous est répondu dans un délai d'un mois, prolongeable de deux mois " +
                "compte tenu de la complexité de la demande."),
            new PaperParagraph("Vous pouvez également introduire une réclamation auprès de la Commission nationale de l'informatique et des libertés " +
                "(CNIL, 3 place de Fontenoy, TSA 80715, 75334 Paris Cedex 07, www.cnil.fr)."),
            new PaperParagraph("Nous vous prions d'agréer, Madame, Monsieur, l'expression de nos salutations distinguées."),
            new PaperParagraph("Date et signature : ______________________________"),
        ];
        return new PaperDocument("Information sur le traitement de vos données", councilName, now, blocks);
    }
}
