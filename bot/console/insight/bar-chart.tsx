/**
 * @module bot/console/insight/bar-chart
 * A bar chart drawn on the server as SVG: no script, no style attribute (the console's Content
 * Security Policy allows neither inline), readable at a glance, with the figures in its label
 * for screen readers.
 */
const W = 560
const H = 160
const PAD = 22

export function BarChart(props: { title: string; rows: { label: string; value: number }[] }) {
  const { title, rows } = props
  const max = Math.max(1, ...rows.map((r) => r.value))
  const step = (W - 2 * PAD) / Math.max(1, rows.length)
  const label = `${title}: ${rows.map((r) => `${r.label} ${r.value}`).join(', ')}`
  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label}>
        <line x1={PAD} y1={H - PAD} x2={W - PAD} y2={H - PAD} stroke="#9aa3ad" />
        {rows.map((r, i) => {
          const height = ((H - 2 * PAD - 10) * r.value) / max
          const x = PAD + i * step + step * 0.15
          const y = H - PAD - height
          const middle = x + step * 0.35
          return (
            <g>
              <rect x={x} y={y} width={step * 0.7} height={height} fill="#0b5cad" />
              <text x={middle} y={y - 3} text-anchor="middle" font-size="11" fill="#1b1f24">
                {String(r.value)}
              </text>
              <text x={middle} y={H - 6} text-anchor="middle" font-size="10" fill="#5b6470">
                {r.label}
              </text>
            </g>
          )
        })}
      </svg>
    </figure>
  )
}
