import type { ReactNode } from 'react';
import { useId } from 'react';
import type uPlot from 'uplot';
import type { ChartColors } from './UPlotChart';
import { UPlotChart } from './UPlotChart';

/**
 * A chart as a figure: its title (the figure's name and the image's label), a sentence that says what it shows
 * (read out with the image, and on screen for everyone), the canvas, and the same figures as a table under
 * "Show as table" — the alternative for anyone who cannot read the drawing.
 */
export function ChartFigure(props: {
  title: string;
  summary: string;
  options: (colors: ChartColors, width: number, height: number) => Omit<uPlot.Options, 'width' | 'height'>;
  data: uPlot.AlignedData;
  table: { columns: string[]; rows: (string | number)[][] };
  height?: number;
}) {
  const id = useId();
  return (
    <figure className="chart" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`} className="chart-title">
        {props.title}
      </figcaption>
      <p id={`${id}-summary`} className="chart-summary muted">
        {props.summary}
      </p>
      <UPlotChart
        options={props.options}
        data={props.data}
        label={`Chart: ${props.title}`}
        describedBy={`${id}-summary`}
        {...(props.height ? { height: props.height } : {})}
      />
      <details className="chart-table">
        <summary>Show {props.title.toLowerCase()} as a table</summary>
        <DataTable label={props.title} columns={props.table.columns} rows={props.table.rows} />
      </details>
    </figure>
  );
}

export function DataTable(props: {
  label: string;
  columns: string[];
  rows: (string | number)[][];
  footer?: ReactNode;
}) {
  return (
    <table className="usage-table" aria-label={props.label}>
      <thead>
        <tr>
          {props.columns.map((c, i) => (
            <th key={c} scope="col" className={i > 0 ? 'num' : undefined}>
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row, r) => (
          <tr key={r}>
            {row.map((cell, i) =>
              i === 0 ? (
                <th key={i} scope="row">
                  {cell}
                </th>
              ) : (
                <td key={i} className="num">
                  {cell}
                </td>
              ),
            )}
          </tr>
        ))}
      </tbody>
      {props.footer}
    </table>
  );
}
