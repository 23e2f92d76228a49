using CaseExchange.Statistics;

namespace CaseExchange.Tests.Statistics;

/// <summary>
/// What someone holding a published report can recompute by linear algebra: every table whose cells partition the
/// situations is an equation (cells add up to the number of situations). A suppressed cell is recomputable when its
/// unit vector lies in the row space of those equations, i.e. when the reduced row echelon form has a row that is
/// exactly that unit vector.
/// </summary>
internal static class DisclosureAttack
{
    public static IReadOnlyList<string> RecomputableSuppressedCells(StatisticsReport report)
    {
        var unknowns = new List<string>();
        int Unknown(string name)
        {
            unknowns.Add(name);
            return unknowns.Count - 1;
        }

        var total = report.SituationsSuppressed ? Unknown("situations") : -1;
        var equations = new List<Dictionary<int, double>>();
        foreach (var table in report.Tables.Where(t => t.Code != StatisticsTables.Reasons))
        {
            var equation = new Dictionary<int, double>();
            foreach (var cell in table.Cells.Where(c => c.Suppressed)) equation[Unknown($"{table.Code}/{cell.Code}")] = 1;
            if (total >= 0) equation[total] = -1;
            if (equation.Count > 0) equations.Add(equation);
        }
        return [.. Determined(unknowns.Count, equations).Select(i => unknowns[i])];
    }

    public static IReadOnlyList<int> Determined(int unknownCount, IReadOnlyList<Dictionary<int, double>> equations)
    {
        var rows = equations.Select(e => Enumerable.Range(0, unknownCount).Select(i => e.GetValueOrDefault(i)).ToArray()).ToList();
        var pivotRow = 0;
        for (var column = 0; column < unknownCount && pivotRow < rows.Count; column++)
        {
            var found = rows.FindIndex(pivotRow, r => Math.Abs(r[column]) > 1e-9);
            if (found < 0) continue;
            (rows[pivotRow], rows[found]) = (rows[found], rows[pivotRow]);
            var pivot = rows[pivotRow][column];
            for (var j = 0; j < unknownCount; j++) rows[pivotRow][j] /= pivot;
            for (var r = 0; r < rows.Count; r++)
            {
                if (r == pivotRow || Math.Abs(rows[r][column]) < 1e-9) continue;
                var factor = rows[r][column];
                for (var j = 0; j < unknownCount; j++) rows[r][j] -= factor * rows[pivotRow][j];
            }
            pivotRow++;
        }
        return [.. rows.Take(pivotRow)
            .Where(r => r.Count(v => Math.Abs(v) > 1e-9) == 1)
            .Select(r => Array.FindIndex(r, v => Math.Abs(v) > 1e-9))];
    }
}
