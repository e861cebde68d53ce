// Results, events and inputs are FlowValues: a program that imports only FlowClient can read and build them.
@_exported @_documentation(visibility: internal) public import enum FlowCore.FlowValue
