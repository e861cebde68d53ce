extension SVGDiagram {
    /// The image's colours and fonts, light by default and dark under `prefers-color-scheme: dark`.
    ///
    /// Every selector starts with `.flowlang-diagram`, so the rules stay inside the image when it is placed
    /// inline in an HTML page.
    package static let stylesheet = """
        .flowlang-diagram { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 12px; }
        .flowlang-diagram .background { fill: #ffffff; }
        .flowlang-diagram text { fill: #1a202c; }
        .flowlang-diagram .detail { fill: #4a5568; }
        .flowlang-diagram .node > rect, .flowlang-diagram .node > polygon, .flowlang-diagram .node > circle {
          fill: #f7fafc; stroke: #4a5568; stroke-width: 1.5;
        }
        .flowlang-diagram .task > rect { fill: #ebf4ff; stroke: #3c64b1; }
        .flowlang-diagram .subflow > rect { fill: #f3ebff; stroke: #6b46c1; }
        .flowlang-diagram .subflow > .inner { fill: none; stroke: #6b46c1; stroke-width: 1.5; }
        .flowlang-diagram .decision > polygon { fill: #fffaf0; stroke: #c05621; }
        .flowlang-diagram .loop > polygon { fill: #e6fffa; stroke: #2c7a7b; }
        .flowlang-diagram .exit > rect, .flowlang-diagram .cancel > rect { fill: #fff5f5; stroke: #c53030; }
        .flowlang-diagram .start > circle, .flowlang-diagram .end > circle { fill: #f0fff4; stroke: #2f855a; }
        .flowlang-diagram .fork > rect, .flowlang-diagram .join > rect, .flowlang-diagram .merge > circle { fill: #4a5568; stroke: none; }
        .flowlang-diagram .count { fill: #2c7a7b; font-weight: bold; }
        .flowlang-diagram .edge > path { fill: none; stroke: #718096; stroke-width: 1.5; }
        .flowlang-diagram .edge.dashed > path { stroke: #c53030; stroke-dasharray: 5 4; }
        .flowlang-diagram .edge.back > path { stroke: #2c7a7b; }
        .flowlang-diagram .edge-label { fill: #4a5568; font-size: 11px; }
        .flowlang-diagram .arrowhead { fill: #718096; }
        @media (prefers-color-scheme: dark) {
          .flowlang-diagram .background { fill: #1a202c; }
          .flowlang-diagram text { fill: #e2e8f0; }
          .flowlang-diagram .detail, .flowlang-diagram .edge-label { fill: #a0aec0; }
          .flowlang-diagram .node > rect, .flowlang-diagram .node > polygon, .flowlang-diagram .node > circle { fill: #2d3748; stroke: #a0aec0; }
          .flowlang-diagram .task > rect { fill: #1e3a5f; stroke: #7f9cf5; }
          .flowlang-diagram .subflow > rect { fill: #322659; stroke: #b794f4; }
          .flowlang-diagram .subflow > .inner { stroke: #b794f4; }
          .flowlang-diagram .decision > polygon { fill: #3d2a14; stroke: #f6ad55; }
          .flowlang-diagram .loop > polygon { fill: #1d3b3a; stroke: #4fd1c5; }
          .flowlang-diagram .exit > rect, .flowlang-diagram .cancel > rect { fill: #3b1f1f; stroke: #fc8181; }
          .flowlang-diagram .start > circle, .flowlang-diagram .end > circle { fill: #1c3324; stroke: #68d391; }
          .flowlang-diagram .fork > rect, .flowlang-diagram .join > rect, .flowlang-diagram .merge > circle { fill: #cbd5e0; }
          .flowlang-diagram .count { fill: #4fd1c5; }
          .flowlang-diagram .edge > path { stroke: #a0aec0; }
          .flowlang-diagram .arrowhead { fill: #a0aec0; }
          .flowlang-diagram .edge.dashed > path { stroke: #fc8181; }
          .flowlang-diagram .edge.back > path { stroke: #4fd1c5; }
        }
        """
}
