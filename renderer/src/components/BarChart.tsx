import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  Tooltip,
} from 'chart.js'
import { useEffect, useRef } from 'react'

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip)

export interface Series {
  label: string
  values: number[]
  color: string
}

/** A small bar chart (Chart.js); the numbers are also in a table next to it for screen readers. */
export function BarChart({
  labels,
  series,
  title,
}: {
  labels: string[]
  series: Series[]
  title: string
}) {
  const canvas = useRef<HTMLCanvasElement>(null)
  useEffect(() => {
    if (!canvas.current) return
    const chart = new Chart(canvas.current, {
      type: 'bar',
      data: {
        labels,
        datasets: series.map((s) => ({ label: s.label, data: s.values, backgroundColor: s.color })),
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { display: series.length > 1 } },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    })
    return () => chart.destroy()
  }, [labels, series])
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <div className="chart-box">
        <canvas
          ref={canvas}
          role="img"
          aria-label={`${title}: ${labels.map((l, i) => `${l} ${series.map((s) => `${s.label} ${s.values[i] ?? 0}`).join(', ')}`).join('; ')}`}
        />
      </div>
    </figure>
  )
}
