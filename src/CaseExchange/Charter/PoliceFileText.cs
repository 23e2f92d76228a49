namespace CaseExchange.Charter;

/// <summary>
/// Free text that reads like an extract of a police or judicial file (charte: the CLSPD exchanges no data from the
/// police files — TAJ, FPR, casier — nor criminal records; CNIL: article 10 RGPD data are excluded). A closed list of
/// folded words and phrases, matched on whole words (<see cref="IdentityTerms.Tokenise"/>). The answer is a yes or no:
/// never which term matched, so that a refusal repeats nothing of the text.
/// </summary>
public static class PoliceFileText
{
    /// <summary>Folded phrases, each a sequence of whole words.</summary>
    public static readonly IReadOnlyList<string[]> Phrases = new[]
    {
        "garde a vue", "gav", "taj", "stic", "judex", "fpr", "fijais", "fichier des personnes recherchees",
        "antecedents judiciaires", "antecedent judiciaire", "antecedents penaux", "casier judiciaire", "bulletin n 1",
        "fiche s", "fiche de recherche", "mis en cause", "mise en cause", "interpelle", "interpellee", "interpellation",
        "proces verbal", "pv d audition", "audition libre", "condamne", "condamnee", "condamnation", "ecroue", "ecrouee",
        "incarcere", "incarceree", "defere", "deferee", "comparution immediate", "main courante", "signalise", "signalisee",
        "rappel a la loi", "contravention", "mandat d arret", "controle judiciaire",
    }.Select(p => p.Split(' ')).ToList();

    /// <summary>True when the text contains one of the phrases as whole words.</summary>
    public static bool LooksLikePoliceFile(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return false;
        var words = IdentityTerms.Tokenise(text).Select(t => t.Folded).ToArray();
        for (var i = 0; i < words.Length; i++)
            foreach (var phrase in Phrases)
                if (i + phrase.Length <= words.Length && phrase.Select((w, k) => words[i + k] == w).All(x => x))
                    return true;
        return false;
    }
}
